// Each mapper reads only fields its gateway's spec declares (through `known`), so a field renamed upstream
// fails the build instead of mapping to null. Proved here for every gateway: the generated types with one field
// the mapper reads renamed, type-checked with the mappers' real source in one TypeScript program.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { gatewayNames } from "../../../scripts/lib/registry.js";

const packages = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A field each mapper reads, as the generated types name it. */
const renamed = {
  openrouter: "model",
  zenmux: "model",
  fastrouter: "model",
  oxen: "model_name",
  vercel: "model",
  nanogpt: "request_id",
  cloudflare: "model",
  litellm: "model",
  helicone: "model",
} as const;
type Gateway = keyof typeof renamed;
const gateways = Object.keys(renamed) as Gateway[];

const generatedFile = (gateway: Gateway) => join(packages, gateway, "src", "generated", "openapi.ts");
const mapperFile = (gateway: Gateway) => join(packages, "normalize", "src", `${gateway}.ts`);

/** The mappers' diagnostics, with the generated types of `renaming` gateways changed in memory. */
function mapperErrors(renaming: readonly Gateway[]): Record<Gateway, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    // The workspace's packages from their source, as the tests read them.
    paths: {
      "@genledger/core/errors": [join(packages, "core", "src", "errors.ts")],
      "@genledger/*": [join(packages, "*", "src", "index.ts")],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => {
    const text = readFile(file);
    const gateway = renaming.find((g) => generatedFile(g) === file);
    if (text === undefined || !gateway) return text;
    const field = renamed[gateway];
    const changed = text.replace(new RegExp(`^(\\s+)${field}(\\??: )`, "gm"), `$1${field}_renamed$2`);
    if (changed === text) throw new Error(`${file}: no \`${field}\` field to rename`);
    return changed;
  };
  const program = ts.createProgram(gateways.map(mapperFile), options, host);
  const errors = Object.fromEntries(gateways.map((g) => [g, [] as string[]])) as Record<Gateway, string[]>;
  for (const gateway of gateways) {
    for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(mapperFile(gateway)))) {
      errors[gateway].push(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    }
  }
  return errors;
}

describe("a field renamed in a gateway's spec", () => {
  it("type-checks as it is (the control)", () => {
    expect(mapperErrors([])).toEqual(Object.fromEntries(gateways.map((g) => [g, []])));
  });

  it("fails every mapper that reads it, naming the field", () => {
    const errors = mapperErrors(gateways);
    for (const gateway of gateways) {
      expect(errors[gateway].length, gateway).toBeGreaterThan(0);
      expect(errors[gateway].join("\n"), gateway).toContain(`'${renamed[gateway]}'`);
    }
  });

  it("covers every gateway there is", async () => {
    expect([...gateways].sort()).toEqual(await gatewayNames());
  });

  it("is a field the mapper really reads, through known<>", () => {
    for (const gateway of gateways) {
      expect(readFileSync(mapperFile(gateway), "utf8"), gateway).toMatch(new RegExp(`\\.${renamed[gateway]}\\b`));
    }
  });
});

// A project that installs @genledger/normalize and one provider must work: the main entry and each
// subpath reach only @genledger/core and their own provider at run time.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
// Every gateway subpath, as package.json exports them (not `.`, `./all` nor `./package.json`).
const manifest = JSON.parse(await readFile(join(dist, "..", "package.json"), "utf8"));
const gateways = Object.keys(manifest.exports)
  .map((key) => key.slice(2))
  .filter((key) => key && key !== "all" && key !== "package.json");

async function runtimeImports(entry: string, seen = new Set<string>()): Promise<Set<string>> {
  const packages = new Set<string>();
  if (seen.has(entry)) return packages;
  seen.add(entry);
  const code = await readFile(entry, "utf8");
  for (const [, spec] of code.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+["']([^"']+)["']/gm)) {
    if (!spec) continue;
    if (spec.startsWith(".")) {
      for (const p of await runtimeImports(resolve(dirname(entry), spec), seen)) packages.add(p);
    } else {
      // A package's subpath is that package (`@genledger/core/internal` is core).
      packages.add(
        spec
          .split("/")
          .slice(0, spec.startsWith("@") ? 2 : 1)
          .join("/"),
      );
    }
  }
  return packages;
}

describe("optional peer dependencies", () => {
  it("the main entry needs no provider package", async () => {
    expect([...(await runtimeImports(join(dist, "index.js")))]).toEqual(["@genledger/core"]);
  });

  it.each(gateways)("the %s subpath needs only its own provider", async (p) => {
    expect([...(await runtimeImports(join(dist, `${p}.js`)))].sort()).toEqual(
      ["@genledger/core", `@genledger/${p}`].sort(),
    );
  });

  it("declares every provider as an optional peer", async () => {
    const pkg = JSON.parse(await readFile(join(dist, "..", "package.json"), "utf8"));
    for (const p of gateways) {
      expect(pkg.peerDependencies[`@genledger/${p}`]).toBeDefined();
      expect(pkg.peerDependenciesMeta[`@genledger/${p}`]).toEqual({ optional: true });
      expect(pkg.dependencies[`@genledger/${p}`]).toBeUndefined();
    }
  });
});

describe("a project with only @genledger/normalize and @genledger/oxen installed", () => {
  it("type-checks with skipLibCheck off and runs", async () => {
    const packages = join(dist, "..", "..");
    const project = await mkdtemp(join(tmpdir(), "genledger-install-"));
    try {
      const modules = join(project, "node_modules");
      for (const p of ["normalize", "oxen", "core"]) {
        await mkdir(join(modules, "@genledger", p), { recursive: true });
        await cp(join(packages, p, "dist"), join(modules, "@genledger", p, "dist"), { recursive: true });
        await cp(join(packages, p, "package.json"), join(modules, "@genledger", p, "package.json"));
      }
      const fromOxen = createRequire(join(packages, "oxen", "package.json"));
      const openapiFetch = dirname(fromOxen.resolve("openapi-fetch/package.json"));
      const helpers = dirname(
        createRequire(join(openapiFetch, "package.json")).resolve("openapi-typescript-helpers/package.json"),
      );
      await cp(openapiFetch, join(modules, "openapi-fetch"), { recursive: true, dereference: true });
      await cp(helpers, join(modules, "openapi-typescript-helpers"), { recursive: true, dereference: true });
      await writeFile(join(project, "package.json"), '{ "type": "module" }\n');
      await writeFile(
        join(project, "main.ts"),
        [
          'import { createLedger, sumCosts, type Generation } from "@genledger/normalize";',
          'import { fromOxen, oxen } from "@genledger/normalize/oxen";',
          'const ledger = createLedger({ providers: [oxen({ baseUrl: "http://127.0.0.1:9" })] });',
          'const g: Generation = fromOxen({ generation_id: "g-1", model_name: "m", media_type: "image", status: "succeeded", enqueued_at: 1, cost: "0.5" });',
          'const model: string = g.provider === "oxen" ? g.raw.model_name : "";',
          "console.log(JSON.stringify({ providers: ledger.providers, total: sumCosts([g]), model }));",
          "",
        ].join("\n"),
      );
      await writeFile(
        join(project, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: "NodeNext",
            moduleResolution: "NodeNext",
            target: "ES2022",
            lib: ["ES2023", "DOM"],
            types: [],
            skipLibCheck: false,
            outDir: "out",
          },
          files: ["main.ts"],
        }),
      );
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      await run(process.execPath, [tsc, "-p", project]).catch((e) => {
        throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`);
      });
      const { stdout } = await run(process.execPath, [join(project, "out", "main.js")]);
      expect(JSON.parse(stdout)).toEqual({ providers: ["oxen"], total: { "oxen credits": "0.5" }, model: "m" });
    } finally {
      await rm(project, { recursive: true, force: true });
    }
    // A guard against a hang, not a speed test: tsc alone takes ~8 s, much longer beside a full parallel `pnpm test`.
  });
});

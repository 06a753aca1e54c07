// Every list of gateways the workspace keeps, derived from what exists: a gateway is its spec folder and its
// package (`specs/<name>/`, `packages/<name>/`), and its definition in `packages/<name>/src/client.ts`.
// `registerGateways` writes the lists (normalize's `all.ts`, testing's `gateways.ts`, the CLI's key
// variables, capture's base URL variables) and adds the gateway to the manifests that must name it (normalize's subpath export and
// optional peer, testing's and the CLI's dependencies) and to the README's packages table. `pnpm gateway:new`
// runs it; a test runs it on the repository and fails when anything it would write differs.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "./specs.js";

/** What a list needs of one gateway's definition. */
export interface GatewayFacts {
  name: string;
  title: string;
  /** The variables that may hold the key, first set wins. */
  keyVariables: readonly string[];
  baseUrlVariable: string;
  /** Oxen's read endpoints work without a key. */
  keyOptional: boolean;
  /** The mock's export in `packages/testing/src/gateways/<name>.ts`. */
  mockExport: string;
  /**
   * Capture knows its completion base URLs (`builtInGateways` in `packages/capture/src/base-urls.ts`), or
   * reads its calls' ids where it is told its base URL (`idHeaders` there: LiteLLM's self-hosted proxy).
   */
  captured: boolean;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The gateways that exist: a spec folder with a `source.yaml` and a package with a `src/client.ts`, by name. */
export async function gatewayNames(root = repoRoot): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(root, "specs"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const { name } = entry;
    if ((await exists(join(root, "specs", name, "source.yaml"))) && (await exists(clientFile(root, name)))) {
      names.push(name);
    }
  }
  return names.sort();
}

const clientFile = (root: string, name: string) => join(root, "packages", name, "src", "client.ts");

/**
 * Each gateway's definition, read by running its `client.ts` against core's source (bundled by esbuild, so
 * neither a build nor a TypeScript loader is needed).
 */
export async function gatewayFacts(root = repoRoot): Promise<GatewayFacts[]> {
  const names = await gatewayNames(root);
  const { build } = await import("esbuild");
  const core = join(root, "packages", "core", "src");
  const result = await build({
    stdin: {
      contents: [
        ...names.map((name, i) => `export * as g${i} from ${JSON.stringify(clientFile(root, name))};`),
        `export { builtInGateways, idHeaders } from ${JSON.stringify(join(root, "packages", "capture", "src", "base-urls.ts"))};`,
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    // Subpaths first: esbuild's alias is a prefix match.
    alias: {
      "@genledger/core/errors": join(core, "errors.ts"),
      "@genledger/core/internal": join(core, "internal.ts"),
      "@genledger/core": join(core, "index.ts"),
    },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
  });
  // Imported as it is, from memory: the bundle holds everything but node's own modules.
  const code = Buffer.from(result.outputFiles[0]!.contents).toString("base64");
  const modules = (await import(`data:text/javascript;base64,${code}`)) as Record<string, Record<string, unknown>> & {
    builtInGateways: Record<string, string>;
    idHeaders: Record<string, unknown>;
  };
  return Promise.all(
    names.map(async (name, i) => {
      const definition = Object.values(modules[`g${i}`] ?? {}).find(
        (value): value is Definition =>
          typeof value === "object" && value !== null && (value as Definition).provider === name && "lookup" in value,
      );
      if (!definition)
        throw new Error(`packages/${name}/src/client.ts exports no defineGateway definition of "${name}"`);
      const mock = await readFile(join(root, "packages", "testing", "src", "gateways", `${name}.ts`), "utf8").catch(
        () => "",
      );
      const mockExport = /export const (\w+) = defineGateway[<(]/.exec(mock)?.[1];
      if (!mockExport) throw new Error(`packages/testing/src/gateways/${name}.ts exports no defineGateway mock`);
      return {
        name,
        title: definition.displayName,
        // A self-hosted gateway has no built-in host: its id header says capture reads its calls.
        captured: Object.values(modules.builtInGateways).includes(name) || name in modules.idHeaders,
        keyVariables: definition.apiKeyEnv ?? [`${definition.envPrefix}_API_KEY`],
        baseUrlVariable: `${definition.envPrefix}_BASE_URL`,
        keyOptional: definition.authRequired === false,
        mockExport,
      };
    }),
  );
}

interface Definition {
  provider: string;
  displayName: string;
  envPrefix: string;
  apiKeyEnv?: readonly string[];
  authRequired?: boolean;
}

const banner = (what: string) =>
  `// ${what}\n// Written by scripts/lib/registry.ts (\`pnpm gateway:new\` runs it) from the gateways that exist; do not edit.\n`;

/** Words joined into lines of at most `width` characters, each indented by two spaces. */
function wrap(words: string[], width = 80): string[] {
  const lines: string[] = [];
  let line = "";
  for (const [i, word] of words.entries()) {
    const piece = i < words.length - 1 ? `${word},` : word;
    if (line && line.length + 1 + piece.length > width - 2) {
      lines.push(`  ${line}`);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(`  ${line}`);
  return lines;
}

/** The text of each derived file, by path from the root. */
export function registryFiles(gateways: readonly GatewayFacts[]): Record<string, string> {
  const keys = gateways.map(({ keyVariables: [first, ...others], keyOptional }) =>
    [first, others.length > 0 ? ` (or ${others.join(" or ")})` : "", keyOptional ? " (optional)" : ""].join(""),
  );
  const keyHelp = [...wrap(keys), ...wrap(gateways.map((g) => g.baseUrlVariable))];
  return {
    "packages/normalize/src/all.ts": [
      banner(
        "@genledger/normalize/all: every gateway's ledger adapter, for callers that take them all (the `genledger`\n// command). It needs every gateway package installed; pick subpaths to install fewer.",
      ),
      ...gateways.map((g) => `export { ${g.name} } from "./${g.name}.js";`),
      "",
    ].join("\n"),
    "packages/testing/src/gateways.ts": [
      banner("Every mocked gateway; the routes of each are in gateways/<name>.ts."),
      ...gateways.map((g) => `export { ${g.mockExport} as ${g.name} } from "./gateways/${g.name}.js";`),
      "",
    ].join("\n"),
    "packages/capture/src/base-url-env.ts": [
      banner(
        "The environment variables that move a gateway elsewhere (a proxy, `genledger mock`), as its client reads\n// them, for each gateway capture knows the completion base URLs of.",
      ),
      "export const baseUrlEnv: Readonly<Record<string, string>> = {",
      ...gateways.filter((g) => g.captured).map((g) => `  ${g.baseUrlVariable}: "${g.name}",`),
      "};",
      "",
    ].join("\n"),
    "packages/cli/src/key-variables.ts": [
      banner("The environment variables each gateway's client reads, for `genledger --help`."),
      `export const keyVariables = \`${keyHelp.join("\n")}\`;`,
      "",
    ].join("\n"),
  };
}

/** A change `registerGateways` makes (or, with `dryRun`, would make). */
export interface Registration {
  file: string;
  before: string;
  after: string;
}

/**
 * Writes the derived lists and adds every gateway to the manifests and the README's packages table
 * (never removing or reordering what is there). Returns what changed; `dryRun` writes nothing.
 */
export async function registerGateways(root = repoRoot, { dryRun = false } = {}): Promise<Registration[]> {
  const gateways = await gatewayFacts(root);
  const files = registryFiles(gateways);
  const changes: Registration[] = [];
  const edit = async (file: string, change: (text: string) => string) => {
    // A derived list may not exist yet; a manifest or the README must.
    const derived = Object.hasOwn(files, file);
    const before = await readFile(join(root, file), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (derived && error.code === "ENOENT") return "";
      throw new Error(`${file}: ${error.message}`);
    });
    let after: string;
    try {
      after = change(before);
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    if (after === before) return;
    changes.push({ file, before, after });
    if (!dryRun) await writeFile(join(root, file), after);
  };
  for (const [file, text] of Object.entries(files)) await edit(file, () => text);
  const manifest = (file: string, change: (pkg: Manifest, dependency: string, name: string) => void) =>
    edit(file, (text) => {
      const pkg = JSON.parse(text) as Manifest;
      for (const { name } of gateways) change(pkg, `@genledger/${name}`, name);
      const after = `${JSON.stringify(pkg, null, 2)}\n`;
      // Unchanged unless something was added: keep the file byte for byte.
      return JSON.stringify(JSON.parse(text)) === JSON.stringify(pkg) ? text : after;
    });
  await manifest("packages/normalize/package.json", (pkg, dependency, name) => {
    // Before the `./package.json` export, which stays last.
    const { "./package.json": self, ...rest } = pkg.exports;
    pkg.exports = withKey(rest, `./${name}`, { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
    if (self !== undefined) pkg.exports["./package.json"] = self;
    // Every 0.x version from the first, as for the other gateways: a gateway's minor never forces normalize's major.
    pkg.peerDependencies = withKey(pkg.peerDependencies, dependency, ">=0.0.0 <1.0.0");
    pkg.peerDependenciesMeta = withKey(pkg.peerDependenciesMeta, dependency, { optional: true });
    pkg.devDependencies = withKey(pkg.devDependencies, dependency, "workspace:^");
  });
  for (const file of ["packages/testing/package.json", "packages/cli/package.json"]) {
    await manifest(file, (pkg, dependency) => {
      pkg.dependencies = withKey(pkg.dependencies, dependency, "workspace:^");
    });
  }
  await edit("README.md", (text) => gateways.reduce((readme, g) => addPackageRow(readme, g), text));
  return changes;
}

/** `object` with `key` added last, unless it has it. */
const withKey = <T>(object: Record<string, T> = {}, key: string, value: T) =>
  Object.hasOwn(object, key) ? object : { ...object, [key]: value };

interface Manifest {
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
}

/** Pad a markdown table's columns again after a row was added. */
export function padTable(lines: string[]): string[] {
  const rows = lines.map((line) =>
    line
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((cell) => cell.trim()),
  );
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r, j) => (j === 1 ? 3 : (r[i] ?? "").length))));
  return rows.map(
    (r, j) => `| ${widths.map((w, i) => (j === 1 ? "-".repeat(w) : (r[i] ?? "").padEnd(w))).join(" | ")} |`,
  );
}

/** Add a gateway's row to the README's packages table, after the last gateway row, unless it has one. */
export function addPackageRow(readme: string, gateway: Pick<GatewayFacts, "name" | "title">): string {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => /^\|\s*package\s*\|/.test(l));
  if (start === -1) return readme;
  let end = start;
  while (lines[end + 1]?.startsWith("|")) end++;
  const table = lines.slice(start, end + 1);
  if (table.some((l) => l.includes(`(packages/${gateway.name})`))) return readme;
  const row = `| [\`@genledger/${gateway.name}\`](packages/${gateway.name}) | ${gateway.title} client: \`GET /generation?id=\` |`;
  // After the last gateway row: the one before @genledger/normalize.
  const normalize = table.findIndex((l) => l.includes("(packages/normalize)"));
  table.splice(normalize === -1 ? table.length : normalize, 0, row);
  lines.splice(start, end - start + 1, ...padTable(table));
  return lines.join("\n");
}

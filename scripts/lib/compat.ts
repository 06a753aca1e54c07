// Compatibility consumers: scripts/compat/<provider>/v<version>.ts is code a user wrote against that
// release's types. If it no longer type-checks against the current source, the change is breaking.
// The packages are read from their sources (`@genledger/*` mapped to `packages/*/src`), so nothing
// needs building first; what the environment lacks (a module that cannot be found) is an error of its
// own, never a "breaking" change.
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { repoRoot, SpecError } from "./specs.js";

const run = promisify(execFile);

export const compatDir = (root = repoRoot) => join(root, "scripts", "compat");

export async function compatFiles(root = repoRoot): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const dir = compatDir(root);
  const providers = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of providers) {
    if (!entry.isDirectory()) continue;
    const files = (await readdir(join(dir, entry.name))).filter((f) => f.endsWith(".ts")).sort();
    out.set(
      entry.name,
      files.map((f) => join(dir, entry.name, f)),
    );
  }
  return out;
}

/** Diagnostics that say the environment is incomplete (not installed, not found), not that the code broke. */
const environmentCodes = new Set([2307, 2792, 7016, 6053, 2688]);

/**
 * Type-check every consumer in one program; returns, per provider, the errors (empty when it compiles).
 * Throws SpecError when the environment is at fault (a module that cannot be found).
 */
export async function checkCompat(root = repoRoot, byProvider?: Map<string, string[]>): Promise<Map<string, string[]>> {
  byProvider ??= await compatFiles(root);
  const files = [...byProvider.values()].flat();
  if (files.length === 0) return new Map();
  const config = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(files, {
    ...options,
    noEmit: true,
    types: [],
    // The workspace's packages from their sources: no build needed, and no stale dist/ read.
    baseUrl: root,
    paths: {
      "@genledger/normalize/*": ["packages/normalize/src/*.ts"],
      "@genledger/core/*": ["packages/core/src/*.ts"],
      "@genledger/*": ["packages/*/src/index.ts"],
    },
  });
  const result = new Map<string, string[]>([...byProvider.keys()].map((p) => [p, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const first = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0] ?? "";
    if (environmentCodes.has(d.code)) {
      throw new SpecError(
        `the compatibility consumers cannot be checked here: ${first} (${d.file ? relative(root, d.file.fileName) : "tsc"}); run \`pnpm install\` and try again. No changeset was written.`,
      );
    }
    const file = d.file?.fileName ?? "";
    const provider = [...byProvider.entries()].find(([, fs]) => fs.includes(file))?.[0];
    // Keep a changelog line short: long inline types say little.
    const message = first.length > 160 ? `${first.slice(0, 157)}...` : first;
    const where = d.file
      ? `${relative(root, file)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "tsc";
    // An error outside a consumer (in the package source) is reported against every consumer.
    for (const p of provider ? [provider] : result.keys()) {
      const errors = result.get(p);
      if (errors && !errors.some((e) => e.startsWith(`${where}:`))) errors.push(`${where}: ${message}`);
    }
  }
  return result;
}

/**
 * The consumers' errors at git revision `base`: that revision's consumers and each gateway package's
 * sources, checked in a scratch copy under the package (where its own dependencies resolve).
 */
export async function checkCompatAt(
  root: string,
  base: string,
  packages: Map<string, string>,
): Promise<Map<string, string[]>> {
  const git = (...args: string[]) => run("git", args, { cwd: root, maxBuffer: 64 * 2 ** 20 }).then((r) => r.stdout);
  const listed = async (path: string) =>
    (await git("ls-tree", "-r", "--name-only", base, "--", path).catch(() => "")).split("\n").filter(Boolean);
  const scratch: string[] = [];
  const byProvider = new Map<string, string[]>();
  try {
    for (const [provider, dir] of packages) {
      const consumers = (await listed(`scripts/compat/${provider}`)).filter((f) => f.endsWith(".ts"));
      if (consumers.length === 0) continue;
      // packages/<dir>/.compat-base/ mirrors the repository's layout, so the consumers' relative imports hold.
      const copy = join(root, "packages", dir, ".compat-base");
      scratch.push(copy);
      // The repository's module kind, not the package's: the copy stands for the repository root.
      await mkdir(copy, { recursive: true });
      await writeFile(join(copy, "package.json"), await readFile(join(root, "package.json"), "utf8").catch(() => "{}"));
      for (const file of [...(await listed(`packages/${dir}/src`)), ...consumers]) {
        const target = join(copy, file);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, await git("show", `${base}:${file}`));
      }
      byProvider.set(
        provider,
        consumers.map((f) => join(copy, f)),
      );
    }
    return await checkCompat(root, byProvider);
  } finally {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  }
}

/** The errors of `head` that `base` did not have: what the change being classified broke. */
export function newErrors(head: readonly string[], base: readonly string[]): string[] {
  // Compared without the file and line: a scratch copy's path, and lines moved by an edit, are not breakage.
  const text = (e: string) => e.replace(/^.*?\.ts:\d+: /, "").replace(/\.compat-base\//g, "");
  const left = base.map(text);
  return head.filter((e) => {
    const i = left.indexOf(text(e));
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

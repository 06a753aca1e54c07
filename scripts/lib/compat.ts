// Compatibility consumers: scripts/compat/<provider>/v<version>.ts is code a user wrote against that
// release's types. If it no longer type-checks against the current source, the change is breaking.
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import ts from "typescript";
import { repoRoot } from "./specs.js";

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

/** Type-check every consumer in one program; returns, per provider, the errors (empty when it compiles). */
export async function checkCompat(root = repoRoot): Promise<Map<string, string[]>> {
  const byProvider = await compatFiles(root);
  const files = [...byProvider.values()].flat();
  const config = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(files, { ...options, noEmit: true, types: [] });
  const result = new Map<string, string[]>([...byProvider.keys()].map((p) => [p, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? "";
    const provider = [...byProvider.entries()].find(([, fs]) => fs.includes(file))?.[0];
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0];
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

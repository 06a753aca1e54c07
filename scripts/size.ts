// pnpm bench (size part): what each published package weighs, raw and gzipped, from dist/.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { repoRoot } from "./lib/specs.js";

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(path)));
    else if (e.name.endsWith(".js") && !e.name.includes(".test.")) out.push(path);
  }
  return out;
}

const rows: string[][] = [];
for (const name of (await readdir(join(repoRoot, "packages"))).sort()) {
  const js = await files(join(repoRoot, "packages", name, "dist"));
  const code = Buffer.concat(await Promise.all(js.map((f) => readFile(f))));
  rows.push([
    `@genledger/${name}`,
    String(js.length),
    `${(code.length / 1024).toFixed(1)} KiB`,
    `${(gzipSync(code).length / 1024).toFixed(1)} KiB`,
  ]);
}
console.log(["package", "js files", "dist js", "gzip"].join("\t"));
for (const r of rows) console.log(r.join("\t"));

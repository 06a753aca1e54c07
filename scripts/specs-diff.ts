// pnpm specs:diff [--base REV] [--root DIR] [provider...]: compare each openapi.yaml with its
// version at REV (default HEAD), classify the changes and write a changeset per affected package.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { parse } from "yaml";
import { bumpFor, changesetFor, diffSpecs } from "./lib/diff.js";
import { listProviders, readSource, repoRoot, sha256 } from "./lib/specs.js";

const run = promisify(execFile);
const { values, positionals } = parseArgs({
  options: { base: { type: "string", default: "HEAD" }, root: { type: "string" } },
  allowPositionals: true,
});
const root = values.root ?? repoRoot;
const providers = positionals.length > 0 ? positionals : await listProviders(join(root, "specs"));
for (const provider of providers) {
  const path = `specs/${provider}/openapi.yaml`;
  const after = await readFile(join(root, path), "utf8");
  const before = await run("git", ["show", `${values.base}:${path}`], { cwd: root }).then(
    (r) => r.stdout,
    () => "openapi: 3.1.0\npaths: {}\n", // new in this change: everything is added
  );
  const changes = diffSpecs(parse(before) ?? {}, parse(after) ?? {});
  const bump = bumpFor(changes);
  if (!bump) {
    console.log(`${provider}: no change`);
    continue;
  }
  const source = await readSource(join(root, "specs", provider));
  const file = join(root, ".changeset", `${provider}-spec-${sha256(after).slice(0, 8)}.md`);
  await writeFile(file, changesetFor(source.package, `The ${provider} API description changed (${path}):`, changes));
  console.log(
    `${provider}: ${bump} (${changes.length} change${changes.length === 1 ? "" : "s"}) -> ${file.slice(root.length + 1)}`,
  );
  for (const c of changes) console.log(`  ${c.kind}: ${c.summary}`);
}

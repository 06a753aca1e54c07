// pnpm specs:diff [--base REV] [--root DIR] [provider...]: compare each openapi.yaml with its
// version at REV (default HEAD), classify the changes and write (or rewrite) one changeset per
// changed provider, naming the packages changed with it. Safe to run again.
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { recordChanges } from "./lib/record-changes.js";
import { repoRoot } from "./lib/specs.js";

const { values, positionals } = parseArgs({
  options: { base: { type: "string", default: "HEAD" }, root: { type: "string" } },
  allowPositionals: true,
});
const root = values.root ?? repoRoot;
for (const { provider, level, changes, file } of await recordChanges(root, values.base, positionals)) {
  if (!level || !file) {
    console.log(`${provider}: no change`);
    continue;
  }
  const n = changes.length;
  console.log(`${provider}: ${level} (${n} change${n === 1 ? "" : "s"}) -> ${relative(root, file)}`);
  for (const c of changes) console.log(`  ${c.kind}: ${c.where}: ${c.summary}`);
}

// pnpm specs:build [--root DIR] [--confirm] [provider...]: extract, merge, filter, overlay and validate
// every specs/<provider>/openapi.yaml. --confirm records, for a hand-written spec, that it now matches
// the page it is written from (after you updated it).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildProvider, listProviders, repoRoot, SpecError } from "./lib/specs.js";

const { values, positionals } = parseArgs({
  options: { root: { type: "string" }, confirm: { type: "boolean" } },
  allowPositionals: true,
});
const specsDir = join(values.root ?? repoRoot, "specs");
const providers = positionals.length > 0 ? positionals : await listProviders(specsDir);
let failed = false;
for (const provider of providers) {
  try {
    const result = await buildProvider(join(specsDir, provider), { confirm: values.confirm });
    console.log(`${provider}: ${result.changed ? "wrote" : "unchanged"} specs/${provider}/openapi.yaml`);
  } catch (error) {
    failed = true;
    console.error(error instanceof SpecError ? error.message : error);
  }
}
process.exitCode = failed ? 1 : 0;

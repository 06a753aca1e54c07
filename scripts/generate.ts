// pnpm generate [--check] [--root DIR]: compile every specs/<provider>/openapi.yaml into
// packages/<provider>/src/generated/. With --check nothing is written and stale output fails.
import { parseArgs } from "node:util";
import { generateAll } from "./lib/generate.js";
import { repoRoot } from "./lib/specs.js";

const { values } = parseArgs({ options: { check: { type: "boolean" }, root: { type: "string" } } });
const { written, stale } = await generateAll(values.root ?? repoRoot, values.check ?? false);
for (const file of written) console.log(`wrote ${file}`);
if (stale.length > 0) {
  console.error(`Generated code is stale; run \`pnpm generate\` and commit the result:\n  ${stale.join("\n  ")}`);
  process.exitCode = 1;
} else if (values.check) {
  console.log("generated code is up to date");
}

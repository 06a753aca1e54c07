// pnpm specs:build [provider...]: extract, merge, overlay and validate every specs/<provider>/openapi.yaml.
import { join } from "node:path";
import { buildProvider, listProviders, SpecError, specsDir } from "./lib/specs.js";

const wanted = process.argv.slice(2);
const providers = wanted.length > 0 ? wanted : await listProviders();
let failed = false;
for (const provider of providers) {
  try {
    const result = await buildProvider(join(specsDir, provider));
    console.log(`${provider}: ${result.changed ? "wrote" : "unchanged"} specs/${provider}/openapi.yaml`);
  } catch (error) {
    failed = true;
    console.error(error instanceof SpecError ? error.message : error);
  }
}
process.exitCode = failed ? 1 : 0;

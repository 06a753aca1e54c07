// pnpm specs:sync [--from DIR|URL] [--root DIR] [provider...]: take each gateway's upstream files.
// pnpm specs:sync <provider> --url URL [--url URL...]: upstream moved or renamed its file(s); take these instead.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { listProviders, repoRoot, SpecError } from "./lib/specs.js";
import { syncProvider } from "./lib/sync.js";

const { values, positionals } = parseArgs({
  options: { from: { type: "string" }, root: { type: "string" }, url: { type: "string", multiple: true } },
  allowPositionals: true,
});
if (values.url && positionals.length !== 1) {
  console.error("--url replaces one provider's upstream files: name exactly one provider");
  process.exit(2);
}
const specs = join(values.root ?? repoRoot, "specs");
const providers = positionals.length > 0 ? positionals : await listProviders(specs);
let failed = false;
for (const provider of providers) {
  try {
    const { changed } = await syncProvider(join(specs, provider), { from: values.from, urls: values.url });
    console.log(changed.length ? `${provider}: took ${changed.join(", ")}` : `${provider}: upstream unchanged`);
  } catch (error) {
    failed = true;
    console.error(error instanceof SpecError ? error.message : error);
  }
}
if (!failed) console.log("next: pnpm specs:build && pnpm generate && pnpm specs:diff");
process.exitCode = failed ? 1 : 0;

// pnpm gateway:new <name> --page <url|file=url> [--page ...] [--title T] [--env PREFIX] [--base-url URL]
//   [--from DIR] [--root DIR] [--no-install]
// Scaffolds a gateway: specs/<name>/, packages/<name>/, the normalize subpath, the mock, the
// registrations; then installs and formats, so `pnpm --filter @genledger/<name>... build` and its tests pass.
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import { listed, parsePage, scaffoldGateway } from "./lib/scaffold.js";
import { repoRoot, SpecError } from "./lib/specs.js";

const { values, positionals } = parseArgs({
  options: {
    page: { type: "string", multiple: true },
    title: { type: "string" },
    env: { type: "string" },
    "base-url": { type: "string" },
    from: { type: "string" },
    root: { type: "string" },
    "no-install": { type: "boolean" },
  },
  allowPositionals: true,
});

try {
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new SpecError("usage: pnpm gateway:new <name> --page <url> [options]");
  const root = values.root ?? repoRoot;
  const result = await scaffoldGateway(
    {
      name,
      title: values.title,
      env: values.env,
      baseUrl: values["base-url"],
      pages: (values.page ?? []).map(parsePage),
      from: values.from,
    },
    root,
  );
  console.log(`wrote:\n${listed(result.written)}\nlists of gateways derived again:\n${listed(result.edited)}`);
  if (!values["no-install"]) {
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
    run("pnpm", ["install", "--prefer-offline", "--no-frozen-lockfile"]);
    // Everything biome formats (sources, package.json files, READMEs); what biome.json ignores is skipped.
    const files = [...result.written, ...result.edited].filter((f) => !/__fixtures__|^\.changeset\/|^specs\//.test(f));
    run("pnpm", [
      "exec",
      "biome",
      "check",
      "--write",
      "--no-errors-on-unmatched",
      "--files-ignore-unknown=true",
      ...files,
    ]);
  }
  const n = result.names;
  console.log(`
next: pnpm test:fast
then edit by hand (README "Adding a gateway"; each file has TODO(gateway:new) where a guess stands):
  specs/${n.name}/openapi.yaml                the endpoint, body and error envelope; then pnpm specs:build ${n.name} && pnpm generate
  packages/${n.name}/src/client.ts            parseError and getGeneration's shape check; a recorded fixture; the tests
  packages/normalize/src/${n.name}.ts         the mapper from${n.Name}() and, for an early 404, isNotReadyError
  packages/testing/src/gateways/${n.name}.ts  the mock's fixture, routes and error envelope
  packages/capture/src/base-urls.ts           its completion base URL(s), if it serves OpenAI-compatible completions;
                                              then pnpm registry
  words: packages/${n.name}/README.md, packages/normalize/README.md's mapping table, .changeset/${n.name}-gateway.md`);
} catch (error) {
  console.error(error instanceof SpecError ? error.message : error);
  process.exitCode = 1;
}

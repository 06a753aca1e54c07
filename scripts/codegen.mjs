#!/usr/bin/env node
// @ts-check
// The spec pipeline's entry point, for the three commands that run it:
//
//   pnpm specs:build [--root DIR] [--confirm] [provider...]   specs/<provider>/ -> specs/<provider>/openapi.yaml
//   pnpm generate [--check] [--root DIR]                     specs/*/openapi.yaml -> packages/*/src/generated/
//   pnpm codegen [--root DIR]                                 both, in one process
//
// The work (scripts/lib/specs.ts, scripts/lib/generate.ts) is skipped for a provider whose inputs and output are
// byte for byte those of its last run: a hash of the inputs (the provider's files, the pipeline's code, the installed
// dependencies, node's version) is recorded in DIR/node_modules/.cache/genledger/codegen.json with the hash of the
// output it produced, and a run is skipped only when both match what is on disk now. Anything else, including a
// hand-edited output, runs the pipeline, so `--check` never passes on stale output. Plain JavaScript, and the
// TypeScript pipeline (with openapi-typescript, which loads the TypeScript compiler) is loaded only when some
// provider needs it: when nothing changed this costs what `node -e 0` does, not tsx's start-up and ~1 s of imports.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** The code the outputs are made by: any change to it invalidates every recorded run. */
const pipelineFiles = ["scripts/codegen.mjs", "scripts/lib/specs.ts", "scripts/lib/generate.ts"];

/** @param {string | Uint8Array} data */
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/** @param {string} file @returns {Promise<string | undefined>} sha256 of the file, or undefined when absent */
const fileHash = (file) => readFile(file).then(sha256, () => undefined);

async function pipelineHash() {
  const hash = createHash("sha256").update(process.version);
  for (const file of pipelineFiles) hash.update(await readFile(join(repoRoot, file)));
  // The installed dependencies (openapi-typescript, @readme/openapi-parser, openapi-format, yaml and theirs).
  const installed = await readFile(join(repoRoot, "node_modules", ".pnpm", "lock.yaml")).catch(() => undefined);
  hash.update(installed ?? (await readFile(join(repoRoot, "pnpm-lock.yaml"))));
  return hash.digest("hex");
}

/**
 * Everything `specs:build` reads for a provider: every file in specs/<provider>/ but openapi.yaml (its output; for a
 * hand-written spec it is also an input, covered by the output hash having to match).
 * @param {string} providerDir @param {string} pipeline
 */
async function buildInputsHash(providerDir, pipeline) {
  const hash = createHash("sha256").update(pipeline);
  const files = await readdir(providerDir, { recursive: true, withFileTypes: true });
  const paths = files
    .filter((f) => f.isFile())
    .map((f) => relative(providerDir, join(f.parentPath ?? f.path, f.name)))
    .filter((path) => path !== "openapi.yaml")
    .sort();
  for (const path of paths) hash.update(`\0${path}\0${sha256(await readFile(join(providerDir, path)))}`);
  return hash.digest("hex");
}

/**
 * @typedef {{ inputs: string, output: string }} Run
 * @typedef {{ build: Record<string, Run>, generate: Record<string, Run> }} Runs
 * @param {string} root
 */
const runsFile = (root) => join(root, "node_modules", ".cache", "genledger", "codegen.json");

/** @param {string} root @returns {Promise<Runs>} */
async function readRuns(root) {
  try {
    const runs = JSON.parse(await readFile(runsFile(root), "utf8"));
    return { build: runs.build ?? {}, generate: runs.generate ?? {} };
  } catch {
    return { build: {}, generate: {} };
  }
}

/** @param {Run | undefined} run @param {string} inputs @param {string | undefined} output */
const unchanged = (run, inputs, output) => run !== undefined && run.inputs === inputs && run.output === output;

/** @type {Map<string, Promise<any>>} */
const pipelineModules = new Map();

/**
 * One half of the pipeline: `specs` (specs:build) or `generate` (openapi-typescript, which loads the TypeScript
 * compiler); each command loads only its own, which halves a cold specs:build. Under a TypeScript loader (vitest)
 * its source is imported; under node, as compiled by esbuild into node_modules/.cache/genledger/pipeline-<hash of the
 * sources>/ once per change: tsx would cost ~0.4 s per run (its start-up, and its loader thread asked about every
 * module, the 9 MB TypeScript compiler included).
 * @template {"specs" | "generate"} T
 * @param {T} name
 * @returns {Promise<T extends "specs" ? typeof import("./lib/specs.js") : typeof import("./lib/generate.js")>}
 */
function loadPipeline(name) {
  let loaded = pipelineModules.get(name);
  if (!loaded) {
    loaded = (async () => {
      try {
        const source = `./lib/${name}.ts`; // a variable: tsc resolves no .ts path here
        return await import(source);
      } catch (error) {
        if (/** @type {{ code?: string }} */ (error).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
      }
      const entryPoints = ["scripts/lib/specs.ts", "scripts/lib/generate.ts"].map((file) => join(repoRoot, file));
      const hash = createHash("sha256");
      for (const file of entryPoints) hash.update(await readFile(file));
      const dir = join(repoRoot, "node_modules", ".cache", "genledger", `pipeline-${hash.digest("hex").slice(0, 16)}`);
      if (!(await fileHash(join(dir, "generate.js")))) {
        const { build } = await import("esbuild");
        const staging = `${dir}-${process.pid}`;
        const options = { bundle: true, splitting: true, packages: /** @type {const} */ ("external") };
        await build({ entryPoints, outdir: staging, format: "esm", platform: "node", target: "node20", ...options });
        // Another run may have finished first; either copy is the same.
        await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
        // Earlier versions' copies (not other runs' staging directories, which end in their pid).
        for (const entry of await readdir(dirname(dir))) {
          if (/^pipeline-[0-9a-f]{16}$/.test(entry) && entry !== basename(dir)) {
            await rm(join(dirname(dir), entry), { recursive: true, force: true });
          }
        }
      }
      return import(pathToFileURL(join(dir, `${name}.js`)).href);
    })();
    pipelineModules.set(name, loaded);
  }
  return loaded;
}

/**
 * @typedef {object} Options
 * @property {string} [root] the repository to work on (default: this one)
 * @property {boolean} [build] run specs:build
 * @property {boolean} [generate] run generate
 * @property {boolean} [check] generate: write nothing, report stale output
 * @property {boolean} [confirm] specs:build: record that hand-written specs match their pages
 * @property {string[]} [providers] specs:build: these providers only (default: all)
 * @property {(line: string) => void} [log]
 * @property {(line: string) => void} [error]
 */

/**
 * Run the pipeline's steps. `ran` lists the providers each step actually worked on (the rest were unchanged).
 * @param {Options} options
 */
export async function codegen(options) {
  const { root = repoRoot, check = false, confirm = false, log = console.log, error = console.error } = options;
  const specsDir = join(root, "specs");
  const all = (await readdir(specsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const runs = await readRuns(root);
  const pipeline = await pipelineHash();
  const result = {
    failed: false,
    ran: { build: /** @type {string[]} */ ([]), generate: /** @type {string[]} */ ([]) },
    /** @type {string[]} */ written: [],
    /** @type {string[]} */ stale: [],
  };

  if (options.build) {
    for (const provider of options.providers?.length ? options.providers : all) {
      const dir = join(specsDir, provider);
      const out = join(dir, "openapi.yaml");
      // --confirm rewrites source.yaml: hash the inputs after it did.
      const inputs = confirm ? undefined : await buildInputsHash(dir, pipeline).catch(() => undefined);
      if (inputs && unchanged(runs.build[provider], inputs, await fileHash(out))) {
        log(`${provider}: unchanged specs/${provider}/openapi.yaml`);
        continue;
      }
      result.ran.build.push(provider);
      delete runs.build[provider];
      const specs = await loadPipeline("specs");
      try {
        const built = await specs.buildProvider(dir, { confirm });
        log(`${provider}: ${built.changed ? "wrote" : "unchanged"} specs/${provider}/openapi.yaml`);
        const output = await fileHash(out);
        if (output) runs.build[provider] = { inputs: inputs ?? (await buildInputsHash(dir, pipeline)), output };
      } catch (e) {
        result.failed = true;
        error(e instanceof specs.SpecError ? e.message : String(e instanceof Error ? (e.stack ?? e) : e));
      }
    }
  }

  if (options.generate && !result.failed) {
    for (const provider of all) {
      const spec = await readFile(join(specsDir, provider, "openapi.yaml")).catch(() => undefined);
      const inputs = spec && sha256(`${pipeline}\0${sha256(spec)}`);
      const file = join(root, "packages", provider, "src", "generated", "openapi.ts");
      if (inputs && unchanged(runs.generate[provider], inputs, await fileHash(file))) continue;
      result.ran.generate.push(provider);
      delete runs.generate[provider];
      const generate = await loadPipeline("generate");
      const contents = await generate.generateSource(provider, root);
      if (inputs) runs.generate[provider] = { inputs, output: sha256(contents) };
      const committed = await readFile(file, "utf8").catch(() => undefined);
      if (committed === contents) continue;
      if (check) {
        result.stale.push(`@genledger/${provider} (${relative(root, file)})`);
      } else {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, contents);
        result.written.push(relative(root, file));
        log(`wrote ${relative(root, file)}`);
      }
    }
    if (result.stale.length > 0) {
      result.failed = true;
      error(`Generated code is stale; run \`pnpm generate\` and commit the result:\n  ${result.stale.join("\n  ")}`);
    } else if (check) {
      log("generated code is up to date");
    }
  }

  // Written whole then renamed, so a concurrent run reads the old record or this one; a record that cannot be
  // written only costs the next run its speed.
  const file = runsFile(root);
  const staging = `${file}.${process.pid}`;
  await mkdir(dirname(file), { recursive: true })
    .then(() => writeFile(staging, `${JSON.stringify(runs, null, 2)}\n`))
    .then(() => rename(staging, file))
    .catch(() => rm(file, { force: true }).catch(() => undefined));
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, ...args] = process.argv.slice(2);
  const steps = {
    "specs:build": { build: true },
    generate: { generate: true },
    codegen: { build: true, generate: true },
  };
  const step = command ? steps[/** @type {keyof typeof steps} */ (command)] : undefined;
  if (!step) {
    console.error(`usage: node scripts/codegen.mjs ${Object.keys(steps).join("|")} [options]`);
    process.exit(2);
  }
  const { values, positionals } = parseArgs({
    args,
    options: {
      root: { type: "string" },
      ...(command === "generate" ? { check: { type: "boolean" } } : {}),
      ...(command === "specs:build" ? { confirm: { type: "boolean" } } : {}),
    },
    allowPositionals: command === "specs:build",
  });
  const { failed } = await codegen({
    ...step,
    root: values.root,
    check: Boolean(values.check),
    confirm: Boolean(values.confirm),
    providers: positionals,
  });
  process.exitCode = failed ? 1 : 0;
}

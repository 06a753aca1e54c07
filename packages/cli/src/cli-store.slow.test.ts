// batch --into, resolve, report and import, run as the user runs them (the built command in a child process)
// against the mock gateway and real stores: a SQLite file, and a PostgreSQL server the test starts.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openStore, type Store } from "@genledger/store";
import { openRouterGeneration, startMockGateway } from "@genledger/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../../../test-utils/postgres.js";
import { generation } from "../../store/test/engines.js";
import {
  bin,
  dir,
  gateway,
  genledger,
  jsonLines,
  keys,
  mock,
  openRouterAnswering,
  refsIn,
} from "./__fixtures__/cli.js";

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.destroy();
});

async function inStore<T>(url: string, task: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await task(store);
  } finally {
    await store.close();
  }
}

const refs = (n: number, provider = "openrouter", prefix = "gen-") =>
  Array.from({ length: n }, (_, i) => `${provider}:${prefix}${i}`);

describe("genledger batch --into", () => {
  it("keeps final records, queues the rest, and looks up again only what is not final", async () => {
    const g = await mock({ zenmux: { notReadyCalls: Number.POSITIVE_INFINITY } });
    const file = await refsIn([...refs(20), ...refs(3, "zenmux"), ...refs(2, "openrouter", "missing-")]);
    const store = join(dir, "ledger.db");
    const first = await genledger(["batch", file, "--into", store]);
    expect(first.code).toBe(0);
    // The store is the output: no rows on stdout.
    expect(first.stdout).toBe("");
    expect(first.stderr).toContain("23 records kept (3 not final yet) and 5 refs queued for genledger resolve");
    const { report, queue } = await inStore(store, async (s) => ({
      report: await s.report({ by: ["provider"] }),
      queue: await s.queueStats(),
    }));
    expect(report.rows.map((r) => [r.key.provider, r.count, r.pending])).toEqual([
      ["openrouter", 20, 0],
      ["zenmux", 3, 3],
    ]);
    // The three ZenMux records wait for their billing; the two unknown ids for the gateway to know them.
    expect(queue).toMatchObject({ waiting: 5, failed: 0 });

    const before = g.stats.requests;
    const again = await genledger(["batch", file, "--into", store]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("20 skipped (already final in the store)");
    expect(g.stats.requests - before).toBe(5);
  });

  it("writes rows to --output as well when asked, and keeps a failed-for-good lookup out of the queue", async () => {
    await mock({ openrouter: { fault: (id) => (id === "gen-1" ? { status: 401 } : undefined) } });
    const file = await refsIn(refs(3));
    const store = join(dir, "ledger.db");
    const out = join(dir, "out.jsonl");
    const r = await genledger(["batch", file, "--into", store, "--output", out]);
    expect(r.code).toBe(1);
    expect(jsonLines(await readFile(out, "utf8"))).toHaveLength(3);
    expect(await inStore(store, (s) => s.queueStats())).toMatchObject({ waiting: 0 });
    expect(await inStore(store, async (s) => (await s.report({})).total.count)).toBe(2);
  });

  it("names a ref that failed for good on stderr when the store is the only output", async () => {
    await mock({ openrouter: { fault: (id) => (id === "gen-2" ? { status: 403 } : undefined) } });
    const r = await genledger(["batch", await refsIn(refs(3)), "--into", join(dir, "ledger.db")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^genledger batch: openrouter:gen-2: .*403/m);
    expect(r.stderr).not.toContain(keys.OPENROUTER_API_KEY);
  });

  it("keeps the 299 good records of 300 when one has a NUL in its model; the bad one fails with why", async () => {
    const env = await openRouterAnswering((id) =>
      JSON.stringify({
        data: { ...openRouterGeneration(id).data, ...(id === "gen-150" ? { model: "bad\u0000model" } : {}) },
      }),
    );
    const file = await refsIn(refs(300));
    const store = join(dir, "ledger.db");
    const out = join(dir, "rows.jsonl");
    const run = await genledger(["batch", file, "--into", store, "--output", out], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("299 done, 1 failed, 299 records kept and 0 refs queued");
    const failed = jsonLines(await readFile(out, "utf8")).filter((r) => r.error);
    expect(failed.map((r) => r.ref)).toEqual(["openrouter:gen-150"]);
    expect(JSON.stringify(failed[0]?.error)).toMatch(/model contains a NUL/);
    expect(await inStore(store, async (s) => (await s.report({})).total.count)).toBe(299);
  });

  it("counts the records it queued because their billing is pending", async () => {
    await mock({ zenmux: { notReadyCalls: Number.POSITIVE_INFINITY } });
    const file = await refsIn([refs(1)[0] as string, ...refs(2, "zenmux")]);
    const run = await genledger(["batch", file, "--into", join(dir, "ledger.db")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("3 records kept (2 not final yet) and 2 refs queued for genledger resolve");
  });

  it("says what is wrong with a store URL (exit 2), and never shows its password", async () => {
    await mock();
    const file = await refsIn(refs(1));
    const typo = await genledger(["batch", file, "--into", "postgress://u:pw-secret-123@127.0.0.1/db"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown store URL scheme "postgress:" \(did you mean "postgres:"\?\)/);
    const down = await genledger(["batch", file, "--into", "postgres://u:pw-secret-123@127.0.0.1:9/db"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot be reached/);
    expect(`${typo.stderr}${down.stderr}`).not.toContain("pw-secret-123");
  });
});

describe("genledger resolve", () => {
  it("fails a ref whose record the store cannot keep, drains the rest, and prints no raw terminal escapes", async () => {
    const odd = "gen-\u001b]0;pwned\u0007\u001b[2J";
    const env = await openRouterAnswering((id) =>
      JSON.stringify({ data: { ...openRouterGeneration(id).data, ...(id === odd ? { total_cost: 1e50 } : {}) } }),
    );
    const store = join(dir, "ledger.db");
    await inStore(store, (s) =>
      s.enqueue(
        [odd, ...Array.from({ length: 30 }, (_, i) => `gen-${i}`)].map((id) => ({
          ref: { provider: "openrouter", id },
        })),
      ),
    );
    const run = await genledger(["resolve", "--store", store, "--once"], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("30 resolved");
    expect(run.stderr).toContain("gen-\\u001b]0;pwned\\u0007\\u001b[2J failed: StoreError");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be printed
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(await inStore(store, (s) => s.queueStats())).toMatchObject({ waiting: 0, failed: 1 });
  });

  it("drains the queue with --once: not-ready refs resolved, one lookup each", async () => {
    const g = await mock({ openrouter: { notReadyCalls: 1 } });
    const store = join(dir, "ledger.db");
    expect((await genledger(["batch", await refsIn(refs(30)), "--into", store])).code).toBe(0);
    expect(await inStore(store, (s) => s.queueStats())).toMatchObject({ waiting: 30, due: 30 });
    const before = g.stats.requests;
    const r = await genledger(["resolve", "--store", store, "--once", "--workers", "3"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("30 lookups, 30 resolved");
    expect(g.stats.requests - before).toBe(30);
    expect(g.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(await inStore(store, async (s) => (await s.report({})).total)).toMatchObject({ count: 30, pending: 0 });
  });

  it("stops cleanly on Ctrl-C (exit 130), the refs in hand back in the queue, due now", async () => {
    const g = await mock({ openrouter: { delayMs: 60_000 } });
    const url = await postgres.database("resolve_sigint");
    await inStore(url, (s) => s.enqueue(refs(4).map((r) => refOf(r))));
    const child = start(["resolve", "--store", url, "--workers", "2"]);
    while (g.stats.requests < 2) await sleep(20);
    child.process.kill("SIGINT");
    const { code, stderr } = await child.done;
    expect(code).toBe(130);
    expect(stderr).toContain("stopping (SIGINT)");
    expect(await inStore(url, (s) => s.queueStats())).toMatchObject({ waiting: 4, due: 4, leased: 0 });
  });

  it("loses nothing to a resolver killed mid-batch: its lease ends and another takes the refs", async () => {
    // The first resolver's lookups hang on this gateway; the second one's answer at once.
    const hanging = await startMockGateway({ openrouter: { delayMs: 600_000 } });
    try {
      await mock();
      const url = await postgres.database("resolve_sigkill");
      await inStore(url, (s) => s.enqueue(refs(6).map((r) => refOf(r))));
      const killed = start(["resolve", "--store", url, "--workers", "3", "--lease", "1s"], hanging.env);
      while (hanging.stats.requests < 3) await sleep(20);
      killed.process.kill("SIGKILL");
      expect((await killed.done).signal).toBe("SIGKILL");
      // Its three refs stay leased until the lease ends (--lease 1s, not the default 2 minutes), then are due again.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const leases = await client.query("SELECT lease_until FROM pending_refs WHERE lease_owner IS NOT NULL");
      await client.end();
      expect(leases.rows).toHaveLength(3);
      for (const row of leases.rows) expect(Number(row.lease_until)).toBeLessThanOrEqual(Date.now() + 1000);
      let stats = await inStore(url, (s) => s.queueStats());
      expect(stats.waiting).toBe(6);
      while (stats.leased > 0) {
        await sleep(100);
        stats = await inStore(url, (s) => s.queueStats());
      }
      const r = await genledger(["resolve", "--store", url, "--once"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain("6 lookups, 6 resolved");
      expect(await inStore(url, async (s) => (await s.report({})).total.count)).toBe(6);
    } finally {
      await hanging.close();
    }
  });
});

describe("genledger report", () => {
  async function filled(): Promise<string> {
    const url = join(dir, "report.db");
    await inStore(url, async (s) => {
      await s.put([
        { generation: generation("a", { amount: "1.000000000000000000001" }), tags: { customer: "acme" } },
        {
          generation: generation("b", { amount: "2.5", createdAt: "2026-11-21T09:00:00.000Z" }),
          tags: { customer: "acme" },
        },
        {
          generation: generation("c", { amount: "4", model: "anthropic/claude-sonnet-4" }),
          tags: { customer: "globex" },
        },
      ]);
    });
    return url;
  }

  it("prints exact totals by day and model as a table, JSON and CSV", async () => {
    const url = await filled();
    const json = await genledger(["report", "--store", url, "--by", "day,model", "--format", "json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.rows.map((r: { key: object; cost: object }) => [r.key, r.cost])).toEqual([
      [{ day: "2026-11-20", model: "anthropic/claude-sonnet-4" }, { USD: "4" }],
      [{ day: "2026-11-20", model: "openai/gpt-4o-mini" }, { USD: "1.000000000000000000001" }],
      [{ day: "2026-11-21", model: "openai/gpt-4o-mini" }, { USD: "2.5" }],
    ]);
    expect(report.total.cost).toEqual({ USD: "7.500000000000000000001" });

    const table = await genledger(["report", "--store", url, "--by", "day", "--by", "model"]);
    expect(table.stdout).toMatch(/2026-11-20\s+anthropic\/claude-sonnet-4\s+1\s+0\s+4\s/);
    expect(table.stdout).toMatch(/total\s+3\s+0\s+7\.500000000000000000001\s/);
    expect(table.stdout).toContain("queue: 0 refs waiting");

    const csv = await genledger(["report", "--store", url, "--by", "model", "--format", "csv"]);
    expect(csv.stdout.split("\n")[0]).toBe("model,count,pending,cost_USD,input_tokens,output_tokens,total_tokens");
    expect(csv.stdout).toContain("openai/gpt-4o-mini,2,0,3.500000000000000000001,20,10,30");
  });

  it("writes a group whose name a spreadsheet would run as a formula as text, and a refund as a number", async () => {
    const url = join(dir, "formula.db");
    await inStore(url, (s) =>
      s.put([{ generation: generation("f", { amount: "-0.5", model: '=HYPERLINK("http://x","y")' }) }]),
    );
    const csv = await genledger(["report", "--store", url, "--by", "model", "--format", "csv"]);
    expect(csv.stdout.split("\n")[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",1,0,-0.5,10,5,15`);
  });

  it("filters with --where and --since, and groups by a tag", async () => {
    const url = await filled();
    const r = await genledger([
      "report",
      ...["--store", url, "--by", "tag:customer", "--format", "json"],
      ...["--where", "model=openai/gpt-4o-mini", "--since", "2026-11-21"],
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([
      expect.objectContaining({ key: { "tag:customer": "acme" }, count: 1, cost: { USD: "2.5" } }),
    ]);
  });

  it("refuses bad flags with exit 2: a date that is not one, a filter that is not KEY=VALUE, an unknown key", async () => {
    const url = await filled();
    const since = await genledger(["report", "--store", url, "--since", "last tuesday"]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain(
      '--since must be a date (2026-11-01) or an ISO date-time (2026-11-01T12:00:00Z), got "last tuesday"',
    );
    expect((await genledger(["report", "--store", url, "--since", "2026-02-31"])).code).toBe(2);
    const where = await genledger(["report", "--store", url, "--where", "customer"]);
    expect(where.code).toBe(2);
    expect(where.stderr).toContain("expected KEY=VALUE");
    const key = await genledger(["report", "--store", url, "--where", "customer=acme"]);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('cannot filter on "customer": use model, provider, upstream, basis or tag:NAME');
    const by = await genledger(["report", "--store", url, "--by", "modle"]);
    expect(by.code).toBe(2);
    expect(by.stderr).toContain('cannot group by "modle"');
    const missing = await genledger(["report", "--store", join(dir, "ledgr.db")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no store at");
  });

  it("writes --output once, never over a file without --overwrite", async () => {
    const url = await filled();
    const out = join(dir, "spend.html");
    expect((await genledger(["report", "--store", url, "--format", "html", "--output", out])).code).toBe(0);
    const page = await readFile(out, "utf8");
    expect(page).toMatch(/^<!doctype html>/i);
    await writeFile(out, "keep me");
    const refused = await genledger(["report", "--store", url, "--output", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already exists: --overwrite to replace it");
    expect(await readFile(out, "utf8")).toBe("keep me");
    expect((await genledger(["report", "--store", url, "--output", out, "--overwrite"])).code).toBe(0);
    expect(await readFile(out, "utf8")).toContain("7.500000000000000000001");
  });
});

describe("genledger import", () => {
  it("puts an earlier batch's rows into a store: the same totals, twice is a no-op, retryable failures queued", async () => {
    await mock({ openrouter: { fault: (id) => (id === "gen-2" ? { status: 503, retryAfter: 0 } : undefined) } });
    const out = join(dir, "out.jsonl");
    await genledger(["batch", await refsIn(refs(5)), "--output", out]);
    const rows = jsonLines(await readFile(out, "utf8"));
    const url = await postgres.database("import_rows");
    const first = await genledger(["import", out, "--into", url]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("4 records written, 0 already there, 0 re-billed, 1 ref queued");
    const total = await inStore(url, async (s) => (await s.report({})).total);
    expect(total.count).toBe(4);
    const expected = rows.filter((r) => r.generation).length;
    expect(total.count).toBe(expected);
    const again = await genledger(["import", out, "--into", url]);
    expect(again.stderr).toContain("0 records written, 4 already there");
    expect(await inStore(url, (s) => s.queued("waiting", 10))).toEqual([
      expect.objectContaining({ ref: { provider: "openrouter", id: "gen-2" }, reason: "retryable-error" }),
    ]);
  });

  it("stops cleanly on Ctrl-C: every line read is kept, and it says so (exit 130)", async () => {
    const url = join(dir, "stopped.db");
    const rows = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({ ref: `openrouter:gen-${i}`, generation: generation(`gen-${i}`) }),
    );
    const child = spawn(process.execPath, [bin, "import", "-", "--into", url], {
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // 1500 lines, and the pipe left open: the first thousand are written, the rest wait in memory.
    child.stdin?.write(`${rows.join("\n")}\n`);
    const count = async () => {
      try {
        return await inStore(url, async (s) => (await s.report({})).total.count);
      } catch {
        return 0;
      }
    };
    while ((await count()) < 1000) await sleep(50);
    child.kill("SIGINT");
    expect(await done).toBe(130);
    // However much of the pipe it had read by then: every line of it kept, and said.
    const read = Number(/stopped \(SIGINT\) after line (\d+); every line read is kept/.exec(stderr)?.[1]);
    expect(read).toBeGreaterThanOrEqual(1000);
    expect(stderr).toContain(`${read} records written`);
    expect(await count()).toBe(read);
  });

  it("reports each corrupt line by number (exit 1) and keeps every good one", async () => {
    await mock();
    const out = join(dir, "out.jsonl");
    await genledger(["batch", await refsIn(refs(3)), "--output", out]);
    const good = (await readFile(out, "utf8")).trim().split("\n");
    const file = join(dir, "damaged.jsonl");
    const wrongRecord = JSON.parse(good[1] as string);
    wrongRecord.generation.cost.amount = "12,5";
    await writeFile(
      file,
      [
        good[0],
        "{not json",
        JSON.stringify(wrongRecord),
        '{"ref":"nowhere:x","generation":{}}',
        good[2]?.slice(0, 30),
        good[2],
      ].join("\n"),
    );
    const url = join(dir, "imported.db");
    const r = await genledger(["import", file, "--into", url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: line 2: not JSON`);
    expect(r.stderr).toMatch(/line 3: .*cost\.amount "12,5" is not a decimal text/);
    expect(r.stderr).toContain('line 4: ref "nowhere:x" is not provider:id');
    expect(r.stderr).toContain("line 5: not JSON");
    expect(r.stderr).toContain("2 records written");
    expect(await inStore(url, async (s) => (await s.report({})).total.count)).toBe(2);
  });
});

describe("genledger import, one bad line among good ones", () => {
  it("refuses a line past 32 MiB by its number, with memory bounded by it, and a scale no engine keeps", async () => {
    await mock();
    const out = join(dir, "out.jsonl");
    await genledger(["batch", await refsIn(refs(4)), "--output", out]);
    const good = (await readFile(out, "utf8")).trim().split("\n");
    const huge = JSON.parse(good[1] as string);
    huge.generation.model = "m".repeat(100 * 1024 * 1024);
    const deep = JSON.parse(good[2] as string);
    deep.generation.cost.amount = `0.${"0".repeat(19_999)}1`;
    const file = join(dir, "odd.jsonl");
    await writeFile(file, [good[0], JSON.stringify(huge), JSON.stringify(deep), good[3]].join("\n"));
    for (const url of [join(dir, "imported.db"), await postgres.database("odd_import")]) {
      // A heap far below the line's size: the line must never be held whole.
      const r = await genledger(["import", file, "--into", url], { env: { NODE_OPTIONS: "--max-old-space-size=96" } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain("line 2: longer than 32 MiB");
      expect(r.stderr).toMatch(/line 3: .*cost\.amount has more than 45 digits/);
      expect(r.stderr).toContain("2 records written");
      expect(await inStore(url, async (s) => (await s.report({})).total.count)).toBe(2);
    }
  });
});

describe("genledger store migrate", () => {
  it("says what it migrated, and refuses a store a newer genledger wrote", async () => {
    const url = await postgres.database("migrate_cli");
    const first = await genledger(["store", "migrate", "--store", url]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/schema version 0 → \d+/);
    expect((await genledger(["store", "migrate", "--store", url])).stdout).toMatch(/schema version \d+, up to date/);
    await inStore(url, (s) => s.query("UPDATE genledger_schema SET version = version + 100"));
    const newer = await genledger(["report", "--store", url]);
    expect(newer.code).toBe(1);
    expect(newer.stderr).toContain("written by a newer genledger");
  });
});

function refOf(text: string) {
  const [provider, id] = text.split(":") as [string, string];
  return { ref: { provider, id } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The command in the background, for a test that signals it. */
function start(args: string[], env: Record<string, string> = gateway?.env ?? {}) {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env, ...keys },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { process: child, done };
}

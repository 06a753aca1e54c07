// The rough edges a new user met, each as the built command meets it: short usage errors, plain words for
// file and port errors, no silent typos, and a mock that behaves like a real rate limit.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, dir, gateway, genledger, keys, mock, refsIn, runMock } from "./__fixtures__/cli.js";

describe("usage errors are one line and a suggestion, not the whole help", () => {
  it.each([[["reprot"]], [["report", "--stor", "x.db"]], [["get", "openrouter"]]])("genledger %j", async (args) => {
    const r = await genledger(args);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/^Usage:|^Commands:|^Options:/m);
    expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(3);
    expect(r.stderr).toContain("--help");
  });

  it("suggests the command meant", async () => {
    expect((await genledger(["reprot"])).stderr).toMatch(/Did you mean report\?/);
  });

  it("--raw without --json is refused, not ignored", async () => {
    const r = await genledger(["get", "openrouter", "gen-1", "--raw"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--raw needs --json");
  });
});

describe("--help", () => {
  it("shows no (default: []) and describes every list oxen filter", async () => {
    expect((await genledger(["report", "--help"])).stdout).not.toContain("(default: [])");
    const list = (await genledger(["list", "oxen", "--help"])).stdout;
    for (const flag of ["--namespace", "--model", "--status", "--media-type", "--repo", "--folder"]) {
      const line = list.split("\n").find((l) => l.trimStart().startsWith(flag)) ?? "";
      expect(line.replace(/^\s*\S+( <\S+>)?\s*/, ""), flag).not.toBe("");
    }
  });
});

describe("file and port errors in plain words (exit 2)", () => {
  it("an --output in a folder that does not exist", async () => {
    await mock();
    const r = await genledger(["batch", await refsIn(["openrouter:gen-1"]), "--output", "/nonexistent/dir/o.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write /nonexistent/dir/o.jsonl: no such file or folder");
    expect(r.stderr).not.toContain("ENOENT");
  });

  it("mock --port that is in use", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const r = await genledger(["mock", "--port", String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} is in use: choose another --port`);
      expect(r.stderr).not.toContain("EADDRINUSE");
    } finally {
      taken.close();
    }
  });
});

describe("no silent typos", () => {
  it("store migrate --store of a file that is not there makes no database", async () => {
    const typo = join(dir, "typo.db");
    const r = await genledger(["store", "migrate", "--store", typo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no store at");
    expect(existsSync(typo)).toBe(false);
  });

  it("import of a CSV says so once", async () => {
    const file = join(dir, "rows.csv");
    const rows = Array.from({ length: 2000 }, (_, i) => `openrouter:gen-${i},openrouter,gen-${i},succeeded`);
    await writeFile(file, `ref,provider,id,status\n${rows.join("\n")}\n`);
    const r = await genledger(["import", file, "--into", join(dir, "ledger.db")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("is CSV");
  });

  it("demo says its store is temporary", async () => {
    expect((await genledger(["demo"])).stdout).toContain("a temporary folder removed when the demo ends");
  });
});

describe("one spelling for a cost not billed yet", () => {
  it("report's table says (pending) for a group whose records are all pending, never 0", async () => {
    await mock({ zenmux: { notReadyCalls: Number.POSITIVE_INFINITY } });
    const store = join(dir, "ledger.db");
    await genledger(["batch", await refsIn(["zenmux:gen-1", "zenmux:gen-2", "openrouter:gen-3"]), "--into", store]);
    const r = await genledger(["report", "--store", store, "--by", "provider"]);
    expect(r.code).toBe(0);
    const zenmux = r.stdout.split("\n").find((l) => l.startsWith("zenmux")) ?? "";
    expect(zenmux).toMatch(/^zenmux +2 +2 +\(pending\) /);
    expect(r.stdout).toContain("queue: 2 refs waiting");
  });
});

describe("resolve says what it waits for", () => {
  it("--once says when the next lookup is due; counts of one are singular", async () => {
    await mock({ openrouter: { notReadyCalls: Number.POSITIVE_INFINITY } });
    const store = join(dir, "ledger.db");
    await genledger(["batch", await refsIn(["openrouter:gen-1"]), "--into", store]);
    const r = await genledger(["resolve", "--store", store, "--once"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("1 ref waiting (1 due now)");
    expect(r.stderr).toContain("genledger resolve: 1 lookup, 0 resolved, 1 due again later");
    expect(r.stderr).toMatch(/next lookup due in \d+s \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/);
    const report = await genledger(["report", "--store", store]);
    expect(report.stdout).toContain("queue: 1 ref waiting");
  });

  it("a worker says when it has nothing due and how long until the next", async () => {
    await mock({ openrouter: { notReadyCalls: Number.POSITIVE_INFINITY } });
    const store = join(dir, "ledger.db");
    await genledger(["batch", await refsIn(["openrouter:gen-1"]), "--into", store]);
    const child = spawn(process.execPath, [bin, "resolve", "--store", store], {
      env: { ...process.env, ...gateway?.env, ...keys, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
        if (/nothing due, next lookup due in/.test(stderr)) resolve();
      });
    });
    child.kill("SIGINT");
    expect(await new Promise((resolve) => child.on("close", resolve))).toBe(130);
    expect(stderr).toContain("Ctrl-C to stop");
    expect(stderr).toMatch(/0 resolved so far; nothing due, next lookup due in \d+s/);
  });

  it("a batch that billed nothing says so in words", async () => {
    await mock({ zenmux: { notReadyCalls: Number.POSITIVE_INFINITY } });
    const r = await genledger(["batch", await refsIn(["zenmux:gen-1"]), "--output", join(dir, "o.jsonl")]);
    expect(r.stderr).toContain("1 done, 0 failed; nothing billed");
  });
});

describe("the mock's faults read like a gateway's", () => {
  it("--fault 401 names the mock's fault, not a missing header", async () => {
    const { child, output } = await runMock(["--fault", "401"]);
    try {
      const base = /export OPENROUTER_BASE_URL=(\S+)/.exec(output)?.[1];
      const r = await fetch(`${base}/generation?id=gen-1`, {
        headers: { authorization: "Bearer mock-key-0123456789" },
      });
      expect(r.status).toBe(401);
      expect(await r.text()).toContain("mock fault: every lookup answers 401");
    } finally {
      child.kill("SIGTERM");
    }
    await new Promise((resolve) => child.on("close", resolve));
  });

  it("--rate-limit is a token bucket with retry-after: a batch learns its pace and fails nothing", async () => {
    const { child, output } = await runMock(["--rate-limit", "50"]);
    try {
      const env = Object.fromEntries(
        [...output.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]),
      );
      const file = await refsIn(Array.from({ length: 200 }, (_, i) => `openrouter:gen-${i}`));
      const r = await genledger(["batch", file, "--output", join(dir, "o.jsonl"), "--concurrency", "16"], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("200 done, 0 failed");
    } finally {
      child.kill("SIGTERM");
    }
    await new Promise((resolve) => child.on("close", resolve));
  });
});

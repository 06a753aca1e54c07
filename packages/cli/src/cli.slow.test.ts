// The command, run as a child process against a real mock gateway on 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type MockGateway,
  openRouterGeneration,
  type StartMockGatewayOptions,
  startMockGateway,
} from "@genledger/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
const keys = {
  OPENROUTER_API_KEY: "or-test-key-0123456789",
  ZENMUX_API_KEY: "zm-test-key-0123456789",
  FASTROUTER_API_KEY: "fr-test-key-0123456789",
  AI_GATEWAY_API_KEY: "ag-test-key-0123456789",
};

let gateway: MockGateway | undefined;
let server: Server | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "genledger-cli-"));
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `genledger args` with the gateway's base URLs and test keys (unless `env` overrides them).
 * With `tty`, under a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs.
 */
function genledger(
  args: string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; tty?: boolean } = {},
): Promise<Run> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: "1",
    ...gateway?.env,
    ...keys,
    ...options.env,
  };
  for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
  const [command, argv] = options.tty
    ? ["script", ["-qec", [process.execPath, bin, ...args].map((a) => `'${a}'`).join(" "), "/dev/null"]]
    : [process.execPath, [bin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: env as NodeJS.ProcessEnv, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

async function mock(options: StartMockGatewayOptions = {}) {
  gateway = await startMockGateway(options);
  return gateway;
}

const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { ref: string; generation?: { id: string }; error?: { name: string; message: string } },
    );

describe("genledger get", () => {
  it("prints a readable summary", async () => {
    await mock();
    const r = await genledger(["get", "openrouter", "gen-abc"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^openrouter gen-abc\n/);
    expect(r.stdout).toMatch(/ {2}cost {5}0\.\d+ USD\n/);
    expect(r.stdout).toMatch(/tokens {3}in \d+/);
  });

  it("prints the Generation as JSON", async () => {
    await mock();
    const r = await genledger(["get", "oxen", "failed-job", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      provider: "oxen",
      id: "failed-job",
      status: "failed",
      error: "content policy violation",
    });
  });

  it("waits through OpenRouter's early 404 with --wait", async () => {
    await mock({ openrouter: { notReadyCalls: 2 } });
    const r = await genledger(["get", "openrouter", "gen-late", "--wait", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).id).toBe("gen-late");
  });

  it("looks up a Vercel AI Gateway generation, waiting through its early 404", async () => {
    await mock({ vercel: { notReadyCalls: 1 } });
    const id = "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0";
    const r = await genledger(["get", "vercel", id, "--wait", "--json"]);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g).toMatchObject({ provider: "vercel", id, cost: { currency: "USD" } });
    expect(g.cost.breakdown.map((item: { item: string }) => item.item)).toEqual(["market", "surcharge", "gateway"]);
    const plain = await genledger(["get", "vercel", id]);
    expect(plain.stdout).toMatch(/^vercel gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0\n/);
  });

  it("takes a VERCEL_OIDC_TOKEN as the Vercel key, and names both variables when neither is set", async () => {
    await mock();
    const oidc = await genledger(["get", "vercel", "gen_1"], {
      env: { AI_GATEWAY_API_KEY: undefined, VERCEL_OIDC_TOKEN: "oidc-test-token" },
    });
    expect(oidc.code).toBe(0);
    const none = await genledger(["get", "vercel", "gen_1"], {
      env: { AI_GATEWAY_API_KEY: undefined, VERCEL_OIDC_TOKEN: undefined },
    });
    expect(none.code).toBe(4);
    expect(none.stderr).toBe("genledger: AI_GATEWAY_API_KEY or VERCEL_OIDC_TOKEN is not set (the vercel API key)\n");
  });

  it("exits 1 with the gateway's words when the lookup fails", async () => {
    await mock();
    const r = await genledger(["get", "openrouter", "missing-1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("genledger: OpenRouter 404 Not Found: Generation not found\n");
  });

  it("names the variable when a key is missing, on one line", async () => {
    await mock();
    const r = await genledger(["get", "zenmux", "g"], { env: { ZENMUX_API_KEY: undefined } });
    expect(r.code).toBe(4); // its own exit code: the key is missing, no lookup failed
    expect(r.stderr).toBe("genledger: ZENMUX_API_KEY is not set (the zenmux API key)\n");
  });

  it("exits 2 on a usage error", async () => {
    const unknown = await genledger(["get", "bedrock", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'genledger: unknown provider "bedrock" (one of openrouter, zenmux, fastrouter, oxen, vercel)\n',
    );
    // A near miss gets a suggestion, as a mistyped command does.
    const typo = await genledger(["get", "openruter", "x"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown provider "openruter": did you mean openrouter?');
    const blank = await genledger(["get", "fastrouter", " "]);
    expect([blank.code, blank.stderr]).toEqual([2, 'genledger: expected a generation id, got " "\n']);
    const badBase = await genledger(["get", "openrouter", "x"], { env: { OPENROUTER_BASE_URL: "not a url" } });
    expect(badBase.code).toBe(2);
    expect(badBase.stderr).toContain("OPENROUTER_BASE_URL");
    const port = await genledger(["mock", "--port", "99999"]);
    expect([port.code, port.stderr]).toEqual([
      2,
      expect.stringContaining("expected a port from 0 to 65535 (0: a free one)"),
    ]);
    expect(port.stderr).not.toContain("options.port");
    const list = await genledger(["list", "zenmux"]);
    expect([list.code, list.stderr]).toEqual([
      2,
      "genledger: zenmux has no list endpoint: only oxen can list generations; look one up with `genledger get zenmux <id>`\n",
    ]);
    expect((await genledger(["get", "openrouter"])).code).toBe(2);
    expect((await genledger(["frobnicate"])).code).toBe(2);
    expect((await genledger(["get", "openrouter", "x", "--api-key", "k"])).code).toBe(2); // keys never come from flags
  });

  it("says how a CLI user allows plain http, not a library option", async () => {
    const r = await genledger(["get", "openrouter", "x"], { env: { OPENROUTER_BASE_URL: "http://10.0.0.1/api/v1" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("set GENLEDGER_ALLOW_INSECURE_HTTP=1");
    expect(r.stderr).not.toContain("allowInsecureHttp");
  });

  it("--help has examples, the exit codes (141 among them) and one default per option", async () => {
    const help = await genledger(["--help"]);
    expect(help.stdout).toContain("Examples:\n  $ genledger get openrouter");
    expect(help.stdout).toMatch(/^ {2}141 {2}the output pipe closed/m);
    expect(help.stdout).toMatch(/^ {2}4 {4}a key is missing/m);
    // Wrapped to 80 columns, so no name breaks across lines in a narrow terminal.
    expect(help.stdout.split("\n").every((line) => line.length <= 100)).toBe(true);
    const mockHelp = (await genledger(["mock", "--help"])).stdout;
    expect(mockHelp).toContain("(default: 0, a free one)");
    expect(mockHelp).not.toMatch(/\(default: [^)]*\) \(default/);
    expect((await genledger(["get", "--help"])).stdout).toContain("(default: 60000, the library's)");
  });

  it.each([[[]], [["get"]], [["batch"]], [["list", "oxen"]], [["mock"]], [["demo"]]])(
    "has --help for %j",
    async (args) => {
      const r = await genledger([...args, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: genledger/);
    },
  );
});

describe("genledger batch", () => {
  const refsFile = async (lines: string[]) => {
    const file = join(dir, "refs.txt");
    await writeFile(file, `${lines.join("\n")}\n`);
    return file;
  };

  it("looks up thousands of refs under failures: every ref exactly once, concurrency held", async () => {
    const g = await mock({
      openrouter: { delayMs: 2, fault: (id) => (id.endsWith("0") ? { status: 404 } : undefined) },
      zenmux: { delayMs: 2 },
      fastrouter: { delayMs: 2, fault: (id) => (id.endsWith("6") ? { status: 500, retryAfter: 0 } : undefined) },
      oxen: { delayMs: 2 },
    });
    const providers = ["openrouter", "zenmux", "fastrouter", "oxen"];
    const refs = Array.from({ length: 3000 }, (_, i) => `${providers[i % 4]}:gen-${i}`);
    const out = join(dir, "out.jsonl");
    const r = await genledger(["batch", await refsFile(refs), "--concurrency", "6", "--output", out]);
    const rows = jsonLines(await readFile(out, "utf8"));
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((row) => row.ref))).toEqual(new Set(refs));
    const failed = rows.filter((row) => row.error);
    const expectedFailures = refs.filter((ref) => /^openrouter:.*0$|^fastrouter:.*6$/.test(ref));
    expect(failed.map((row) => row.ref).sort()).toEqual(expectedFailures.sort());
    expect(r.code).toBe(1);
    expect(g.stats.maxInFlight).toBeLessThanOrEqual(6);
    expect(g.stats.maxInFlight).toBeGreaterThan(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^genledger batch: ${3000 - expectedFailures.length} done, ${expectedFailures.length} failed; total cost \\d+\\.\\d+ USD, \\d+\\.\\d+ credits\\n$`,
      ),
    );
  });

  it("resumes after a cut-off output file: nothing lost, nothing repeated", async () => {
    const g = await mock();
    const refs = Array.from({ length: 40 }, (_, i) => `oxen:job-${i}`);
    const file = await refsFile(refs);
    const out = join(dir, "out.jsonl");
    expect((await genledger(["batch", file, "--output", out])).code).toBe(0);
    const full = (await readFile(out, "utf8")).split("\n").filter(Boolean);
    // An interrupted run: 15 whole rows and half of the 16th.
    await writeFile(out, `${full.slice(0, 15).join("\n")}\n${full[15]!.slice(0, 20)}`);
    const before = g.stats.requests;
    const r = await genledger(["batch", file, "--output", out, "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("25 done, 0 failed, 15 skipped");
    expect(g.stats.requests - before).toBe(25);
    const rows = jsonLines(await readFile(out, "utf8"));
    expect(rows.map((row) => row.ref).sort()).toEqual([...refs].sort());
  });

  it("resumes a CSV output", async () => {
    await mock();
    const file = await refsFile(["oxen:a", "oxen:b", "oxen:c"]);
    const out = join(dir, "out.csv");
    const header =
      "ref,provider,id,status,model,upstream_provider,created_at,input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,total_tokens,time_to_first_token_ms,generation_ms,cost,currency,upstream_cost,billing,error,retryable";
    await writeFile(out, `${header}\noxen:a,oxen,a,succeeded,m,,,,,,,,,,0.1,credits,,final,,\n`);
    const r = await genledger(["batch", file, "--output", out, "--format", "csv", "--resume"]);
    expect(r.code).toBe(0);
    const lines = (await readFile(out, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith("ref,"))).toHaveLength(1);
    expect(
      lines
        .slice(2)
        .map((l) => l.split(",")[0])
        .sort(),
    ).toEqual(["oxen:b", "oxen:c"]);
  });

  it("reads stdin with -, takes bare ids with --provider, and writes CSV", async () => {
    await mock();
    const r = await genledger(["batch", "-", "--provider", "fastrouter", "--format", "csv"], {
      stdin: "gen-1\nzenmux:gen-2\n\n# comment\n",
    });
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trim().split("\n");
    // What a spreadsheet needs for a report: time, upstream provider, every token count, timing.
    expect(header).toBe(
      "ref,provider,id,status,model,upstream_provider,created_at,input_tokens,cached_input_tokens,output_tokens,reasoning_tokens,total_tokens,time_to_first_token_ms,generation_ms,cost,currency,upstream_cost,billing,error,retryable",
    );
    expect(rows.map((l) => l.split(",")[0]).sort()).toEqual(["fastrouter:gen-1", "zenmux:gen-2"]);
    const zenmux = (rows.find((l) => l.startsWith("zenmux:")) as string).split(",");
    const column = (name: string) => zenmux[(header as string).split(",").indexOf(name)];
    expect(column("created_at")).toMatch(/^2026-11-\d\dT/);
    expect(Number(column("total_tokens"))).toBe(Number(column("input_tokens")) + Number(column("output_tokens")));
    expect(column("cached_input_tokens")).toBe("0");
    expect(Number(column("generation_ms"))).toBeGreaterThan(0);
  });

  it("reports lines that are not refs without stopping", async () => {
    await mock();
    const file = await refsFile(["openrouter:gen-1", "just-an-id", "bedrock:x", "oxen:"]);
    const r = await genledger(["batch", file]);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout).map((row) => row.ref)).toEqual(["openrouter:gen-1"]);
    expect(r.stderr).toContain('line 2: expected provider:id (or pass --provider): "just-an-id"');
    expect(r.stderr).toContain('line 3: unknown provider "bedrock"');
    expect(r.stderr).toContain('line 4: no id after the provider: "oxen:"');
    expect(r.stderr).toContain("1 done, 0 failed, 3 bad lines");
  });

  it("writes an error row for every ref of a gateway without a key", async () => {
    await mock();
    const file = await refsFile(["openrouter:a", "openrouter:b", "oxen:c"]);
    const r = await genledger(["batch", file], { env: { OPENROUTER_API_KEY: undefined } });
    expect(r.code).toBe(1);
    const rows = jsonLines(r.stdout);
    expect(
      rows.filter((row) => row.error?.message === "OPENROUTER_API_KEY is not set (the openrouter API key)"),
    ).toHaveLength(2);
    expect(rows.find((row) => row.ref === "oxen:c")?.generation?.id).toBe("c");
  });

  it("exits 2 for a missing input file or a bad option", async () => {
    const missing = await genledger(["batch", join(dir, "nope.txt")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.txt: no such file/);
    expect((await genledger(["batch", "-", "--concurrency", "0"])).code).toBe(2);
    for (const bad of ["5000", "0x10", "1e3", "2.5"]) {
      const r = await genledger(["batch", "-", "--concurrency", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain("expected a whole number from 1 to 1000");
    }
    expect((await genledger(["get", "openrouter", "x", "--wait", "--wait-timeout", "3000000000"])).code).toBe(2);
    expect((await genledger(["batch", "-", "--resume"])).code).toBe(2);
    expect((await genledger(["batch", "-", "--format", "xml"])).code).toBe(2);
  });

  it("never prints a key", async () => {
    await mock({ openrouter: { fault: { status: 401, message: `bad key ${keys.OPENROUTER_API_KEY}` } } });
    const r = await genledger(["batch", "-"], { stdin: "openrouter:a\n" });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(keys.OPENROUTER_API_KEY);
    expect(r.stdout).toContain("bad key [redacted]");
  });
});

describe("genledger list oxen", () => {
  it("streams every row of every page as JSON lines", async () => {
    const g = await mock({ oxen: { jobs: 23 } });
    const r = await genledger(["list", "oxen", "--json", "--page-size", "5"]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(23);
    expect(rows.every((row) => row.provider === "oxen")).toBe(true);
    expect(g.stats.requests).toBe(5);
    expect(r.stderr).toMatch(/^genledger list: 23 generations; total cost \d/);
  });

  it("filters", async () => {
    await mock({ oxen: { jobs: 23 } });
    const r = await genledger(["list", "oxen", "--status", "failed", "--json"]);
    expect(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).status),
    ).toEqual(Array(4).fill("failed"));
    expect((await genledger(["list", "oxen", "--status", "done"])).code).toBe(2);
  });
});

/** `genledger mock ...args` in the foreground, and what it printed once it is serving. */
async function runMock(args: string[] = []) {
  const child = spawn(process.execPath, [bin, "mock", ...args], {
    stdio: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const output = await new Promise<string>((resolve) => {
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      if (text.includes("Ctrl-C")) resolve(text);
    });
  });
  return { child, output };
}

describe("genledger mock", () => {
  it("serves in the foreground and prints its base URLs", async () => {
    const { child, output } = await runMock();
    try {
      const base = /export OPENROUTER_BASE_URL=(\S+)/.exec(output)?.[1];
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openrouter\/api\/v1$/);
      // Ready-to-paste key lines, one per gateway, long enough for the clients.
      const key = /export OPENROUTER_API_KEY=(\S+)/.exec(output)?.[1] as string;
      expect(key.length).toBeGreaterThanOrEqual(8);
      expect(output).toContain("export AI_GATEWAY_API_KEY=");
      expect(output).toContain("any key of 8 characters or more works");
      const res = await fetch(`${base}/generation?id=gen-1`, { headers: { authorization: `Bearer ${key}` } });
      expect(((await res.json()) as { data: { id: string } }).data.id).toBe("gen-1");
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });
});

describe("genledger mock's fault knobs", () => {
  it("--latency, --not-ready and --fault shape every gateway's lookups", async () => {
    const { child, output } = await runMock(["--not-ready", "1", "--fault", "503:1", "--latency", "5"]);
    try {
      const base = /export OPENROUTER_BASE_URL=(\S+)/.exec(output)?.[1];
      const get = () =>
        fetch(`${base}/generation?id=gen-k`, { headers: { authorization: "Bearer mock-key-0123456789" } }).then(
          (r) => r.status,
        );
      // The first call of the id gets the fault, then it is not ready once, then it is there.
      expect([await get(), await get(), await get()]).toEqual([503, 404, 200]);
    } finally {
      child.kill("SIGTERM");
    }
    await new Promise((resolve) => child.on("close", resolve));
  });
});

describe("genledger demo", () => {
  it("runs the ledger against the mock gateway with no keys and prints the table and totals", async () => {
    const r = await genledger(["demo"], {
      env: {
        OPENROUTER_API_KEY: undefined,
        ZENMUX_API_KEY: undefined,
        FASTROUTER_API_KEY: undefined,
        OXEN_API_KEY: undefined,
        AI_GATEWAY_API_KEY: undefined,
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("vercel: not ready at first (404); market ");
    expect(r.stdout).toContain("openrouter: stats were not ready at first (404)");
    expect(r.stdout).toContain("zenmux: billing pending");
    expect(r.stdout).toContain("oxen: job failed: content policy violation");
    expect(r.stdout).toContain("oxen: listed 7 jobs across 3 pages");
    expect(r.stdout).toMatch(/^gateway +id +model +status +tokens in\/out +cost$/m);
    for (const gw of ["openrouter", "zenmux", "fastrouter", "vercel", "oxen"])
      expect(r.stdout).toMatch(new RegExp(`^${gw} `, "m"));
    expect(r.stdout).toMatch(/^total: \d+\.\d+ USD, \d+\.\d+ credits$/m);
  });
});

describe("on a terminal", () => {
  const hasScript = spawnSync("script", ["--version"]).status === 0;

  it.skipIf(!hasScript)("shows a progress bar on stderr", async () => {
    await mock();
    const file = join(dir, "refs.txt");
    await writeFile(file, Array.from({ length: 30 }, (_, i) => `oxen:j${i}`).join("\n"));
    const r = await genledger(["batch", file, "--output", join(dir, "out.jsonl")], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/30\/30 refs · 0 failed/);
    expect(r.stdout).toContain("genledger batch: 30 done, 0 failed");
  });

  it.skipIf(!hasScript)("shows the cursor again when SIGTERM stops a batch, and exits 143", async () => {
    const g = await mock({ oxen: { delayMs: 100 } });
    const file = join(dir, "refs.txt");
    await writeFile(file, Array.from({ length: 300 }, (_, i) => `oxen:j${i}`).join("\n"));
    const out = join(dir, "out.jsonl");
    const batch = [process.execPath, bin, "batch", file, "--output", out].map((a) => `'${a}'`).join(" ");
    const shell = `${batch} & pid=$!; while [ ! -s '${out}' ]; do sleep 0.05; done; kill -TERM $pid; wait $pid; echo "exit=$?"`;
    const child = spawn("script", ["-qec", shell, "/dev/null"], { env: { ...process.env, ...g.env, NO_COLOR: "1" } });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    await new Promise((resolve) => child.on("close", resolve));
    expect(text).toContain("exit=143");
    const hidden = text.indexOf("\u001b[?25l");
    expect(hidden).toBeGreaterThanOrEqual(0);
    expect(text.indexOf("\u001b[?25h", hidden)).toBeGreaterThan(hidden);
    expect(text).toMatch(/genledger batch: \d+ done, 0 failed/);
    expect(text).toContain("stopped by SIGTERM");
  });

  it.skipIf(!hasScript)("uses colour on a terminal, and never with NO_COLOR", async () => {
    await mock();
    expect(
      (
        await genledger(["get", "oxen", "job"], {
          tty: true,
          env: { NO_COLOR: undefined, CI: undefined, TERM: "xterm-256color" },
        })
      ).stdout,
    ).toContain("\u001b[1m");
    expect(
      (await genledger(["get", "oxen", "job"], { tty: true, env: { CI: undefined, TERM: "xterm-256color" } })).stdout,
    ).not.toContain("\u001b[");
  });
});

/** An OpenRouter-shaped gateway on 127.0.0.1 answering `body(id)`; its base URL as OPENROUTER_BASE_URL. */
async function openRouterAnswering(body: (id: string) => string): Promise<Record<string, string>> {
  server = createServer((req, res) => {
    const id = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("id") ?? "";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body(id));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { OPENROUTER_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` };
}

const refsIn = async (lines: string[]) => {
  const file = join(dir, "refs.txt");
  await writeFile(file, `${lines.join("\n")}\n`);
  return file;
};

describe("genledger batch never loses or damages data", () => {
  it("refuses an existing non-empty --output unless --resume or --overwrite", async () => {
    const g = await mock();
    const file = await refsIn(["oxen:a", "oxen:b"]);
    const out = join(dir, "precious.jsonl");
    await writeFile(out, "my own notes\n");
    const r = await genledger(["batch", file, "--output", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `genledger: ${out} already exists and is not empty: --resume to finish it, or --overwrite to replace it\n`,
    );
    expect(await readFile(out, "utf8")).toBe("my own notes\n");
    expect(g.stats.requests).toBe(0);

    const replaced = await genledger(["batch", file, "--output", out, "--overwrite"]);
    expect(replaced.code).toBe(0);
    expect(jsonLines(await readFile(out, "utf8")).map((row) => row.ref)).toEqual(["oxen:a", "oxen:b"]);

    const empty = join(dir, "empty.jsonl");
    await writeFile(empty, "");
    expect((await genledger(["batch", file, "--output", empty])).code).toBe(0);
    expect((await genledger(["batch", file, "--output", out, "--overwrite", "--resume"])).code).toBe(2);
  });

  it("--resume refuses a file that is not its own output, and leaves it as it was", async () => {
    const g = await mock();
    const file = await refsIn(["oxen:a", "oxen:b"]);
    const cases: Array<[string, string[], RegExp]> = [
      ["notes.jsonl", ["dear diary\n"], /line 1 is not JSON/],
      ["csv.jsonl", ["ref,provider,id\n"], /line 1 is a CSV header \(use --format csv\)/],
      ["json.csv", ['{"ref":"oxen:a","generation":{}}\n', "--format", "csv"], /line 1 is JSON \(use --format jsonl\)/],
      ["other.csv", ["a,b,c\n1,2,3\n", "--format", "csv"], /line 1 is not genledger's CSV header/],
      [
        "earlier.csv",
        [
          "ref,provider,id,status,model,input_tokens,output_tokens,cost,currency,billing,error,retryable\n",
          "--format",
          "csv",
        ],
        /line 1 is the header of an earlier genledger's CSV, which has fewer columns: write to a new --output/,
      ],
      [
        "mixed.jsonl",
        ['{"ref":"oxen:a","generation":{"id":"a"}}\nnot a row\n{"ref":"oxen:b","generation":{}}\n'],
        /line 2 is not JSON/,
      ],
      ["tail.jsonl", ['{"ref":"oxen:a","generation":{"id":"a"}}\nsomeone else\'s text'], /line 2 is not a whole row/],
    ];
    for (const [name, [content, ...args], message] of cases) {
      const out = join(dir, name);
      await writeFile(out, content!);
      const r = await genledger(["batch", file, "--output", out, "--resume", ...args]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr, name).toContain("it is not genledger batch");
      expect(await readFile(out, "utf8"), name).toBe(content);
    }
    expect(g.stats.requests).toBe(0);
  });

  it("--resume redoes a CSV row cut mid-record and keeps every whole line byte for byte", async () => {
    const g = await mock();
    const file = await refsIn(["oxen:a", "oxen:b", "oxen:c"]);
    const out = join(dir, "out.csv");
    expect((await genledger(["batch", file, "--output", out, "--format", "csv", "--concurrency", "1"])).code).toBe(0);
    const whole = await readFile(out, "utf8");
    const [header, first, second] = whole.split("\n");
    const cut = `${header}\n${first}\n${second!.slice(0, 12)}`;
    await writeFile(out, cut);
    const before = g.stats.requests;
    const r = await genledger(["batch", file, "--output", out, "--format", "csv", "--resume"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("2 done, 0 failed, 1 skipped");
    expect(g.stats.requests - before).toBe(2);
    const after = await readFile(out, "utf8");
    expect(after.startsWith(`${header}\n${first}\n`)).toBe(true);
    expect(after.trim().split("\n")).toHaveLength(4);
    expect(
      new Set(
        after
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => l.split(",")[0]),
      ),
    ).toEqual(new Set(["oxen:a", "oxen:b", "oxen:c"]));
  });

  it("--retry-failed looks up again only the rows that failed with a retryable error, appending", async () => {
    const failing = await mock({
      fastrouter: { fault: (id) => (id.startsWith("flaky") ? { status: 503, retryAfter: 0 } : undefined) },
    });
    const file = await refsIn(["fastrouter:flaky-1", "fastrouter:ok-1", "fastrouter:missing-1", "fastrouter:flaky-2"]);
    const out = join(dir, "out.jsonl");
    expect((await genledger(["batch", file, "--output", out])).code).toBe(1);
    const first = await readFile(out, "utf8");
    const rows = jsonLines(first) as Array<{ ref: string; error?: { retryable: boolean; status?: number } }>;
    expect(Object.fromEntries(rows.filter((row) => row.error).map((row) => [row.ref, row.error!.retryable]))).toEqual({
      "fastrouter:flaky-1": true,
      "fastrouter:flaky-2": true,
      "fastrouter:missing-1": false,
    });
    await failing.close();
    gateway = undefined;

    const healthy = await mock();
    const plain = await genledger(["batch", file, "--output", out, "--resume"]);
    expect(plain.stderr).toContain("0 done, 0 failed, 4 skipped");
    expect(healthy.stats.requests).toBe(0);

    const r = await genledger(["batch", file, "--output", out, "--resume", "--retry-failed"]);
    expect(r.stderr).toContain("2 done, 0 failed, 2 skipped");
    expect(r.stderr).toContain("2 failed before with a retryable error, looked up again");
    expect(healthy.stats.requests).toBe(2);
    const after = await readFile(out, "utf8");
    expect(after.startsWith(first)).toBe(true); // nothing it had written is rewritten: the new rows follow
    expect(jsonLines(after.slice(first.length)).map((row) => [row.ref, row.generation?.id])).toEqual(
      expect.arrayContaining([
        ["fastrouter:flaky-1", "flaky-1"],
        ["fastrouter:flaky-2", "flaky-2"],
      ]),
    );
    expect((await genledger(["batch", file, "--output", out, "--retry-failed"])).code).toBe(2);
  });

  it("looks up and counts a duplicate ref once", async () => {
    const g = await mock();
    const r = await genledger(["batch", "-"], { stdin: "oxen:a\noxen:b\noxen:a\n oxen:a \noxen:b\n" });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((row) => row.ref)).toEqual(["oxen:a", "oxen:b"]);
    expect(g.stats.requests).toBe(2);
    expect(r.stderr).toMatch(/^genledger batch: 2 done, 0 failed, 3 duplicates ignored; total cost/);
  });

  it("knows a bare id under --provider for the same ref, however it is padded", async () => {
    const g = await mock();
    // "  a   " is as long as "oxen:a": the line is the key only when it is spelt that way.
    const r = await genledger(["batch", "-", "--provider", "oxen"], { stdin: "a\n  a   \noxen:a\n" });
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((row) => row.ref)).toEqual(["oxen:a"]);
    expect(g.stats.requests).toBe(1);
  });

  it("writes the Generation without raw by default, with it under --raw", async () => {
    await mock();
    const plain = jsonLines((await genledger(["batch", "-"], { stdin: "openrouter:a\n" })).stdout)[0]!;
    expect(plain.generation).toMatchObject({ id: "a", cost: { currency: "USD" } });
    expect(plain.generation).not.toHaveProperty("raw");
    const raw = jsonLines((await genledger(["batch", "-", "--raw"], { stdin: "openrouter:a\n" })).stdout)[0]!;
    expect(raw.generation).toHaveProperty("raw.data.id", "a");
    expect((await genledger(["batch", "-", "--raw", "--format", "csv"])).code).toBe(2);
  });

  it("streams: a row is out before the input has ended", async () => {
    await mock();
    const child = spawn(process.execPath, [bin, "batch", "-"], {
      env: { ...process.env, ...gateway!.env, ...keys },
      stdio: "pipe",
    });
    child.stdin.write("oxen:first\n");
    const firstRow = await new Promise<string>((resolve) => child.stdout.once("data", (d) => resolve(String(d))));
    expect(JSON.parse(firstRow).ref).toBe("oxen:first");
    child.stdin.end("oxen:second\n");
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });

  it("stops on SIGINT: no new lookups, every finished row flushed whole, a summary, how to resume, exit 130", async () => {
    const g = await mock({ oxen: { delayMs: 150 } });
    const refs = Array.from({ length: 200 }, (_, i) => `oxen:job-${i}`);
    const file = await refsIn(refs);
    const out = join(dir, "out.jsonl");
    const env = { ...process.env, ...g.env, ...keys, NO_COLOR: "1" };
    const child = spawn(process.execPath, [bin, "batch", file, "--output", out, "--concurrency", "4"], { env });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    while (((await stat(out).catch(() => undefined))?.size ?? 0) < 2000) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGINT");
    expect(await closed).toBe(130);
    const requestsAtStop = g.stats.requests;
    const rows = jsonLines(await readFile(out, "utf8"));
    const done = Number(/genledger batch: (\d+) done, 0 failed; total cost \d/.exec(stderr)?.[1]);
    expect(rows.length).toBe(done);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(200);
    expect(requestsAtStop).toBeLessThan(200);
    expect(stderr).toContain(
      `stopped by SIGINT; the rows above are in ${out}. To finish: genledger batch ${file} --output ${out} --concurrency 4 --resume\n`,
    );
    expect(stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace

    const resumed = await genledger(["batch", file, "--output", out, "--concurrency", "16", "--resume"]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${200 - done} done, 0 failed, ${done} skipped`);
    const all = jsonLines(await readFile(out, "utf8")).map((row) => row.ref);
    expect(all).toHaveLength(200);
    expect(new Set(all)).toEqual(new Set(refs));
  });

  it("ends quietly when its reader goes away (EPIPE)", async () => {
    await mock();
    // Not spawnSync: the mock gateway runs in this process and must go on answering.
    const run = (command: string) =>
      new Promise<Run>((resolve) => {
        const child = spawn("bash", ["-c", `set -o pipefail; ${command}`], {
          env: { ...process.env, ...gateway!.env, ...keys, NO_COLOR: "1" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    const demo = await run(`'${process.execPath}' '${bin}' demo | head -1`);
    expect(demo.stdout).toMatch(/^genledger demo — mock gateway on http:\/\/127\.0\.0\.1:\d+/);
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(141);
    const refs = Array.from({ length: 3000 }, (_, i) => `oxen:j${i}`).join("\\n");
    const batch = await run(`printf '${refs}\\n' | '${process.execPath}' '${bin}' batch - | head -1`);
    expect(JSON.parse(batch.stdout).ref).toMatch(/^oxen:j\d+$/);
    expect(batch.stderr).toBe("");
    expect(batch.code).toBe(141);
  });

  it("writes an error row for a record it cannot serialise, and goes on", async () => {
    const env = await openRouterAnswering((id) => {
      const body = JSON.stringify(openRouterGeneration(id));
      if (id !== "deep") return body;
      // 200 000 levels of nesting in a field no spec names: JSON.parse takes it, JSON.stringify cannot.
      return body.replace('"router":null', `"router":${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    });
    const r = await genledger(["batch", "-", "--raw"], { stdin: "openrouter:a\nopenrouter:deep\nopenrouter:b\n", env });
    expect(r.code).toBe(1);
    const rows = jsonLines(r.stdout);
    const byRef = Object.fromEntries(rows.map((row) => [row.ref, row]));
    expect(Object.keys(byRef).sort()).toEqual(["openrouter:a", "openrouter:b", "openrouter:deep"]);
    expect(byRef["openrouter:deep"]!.error?.message).toBeTruthy();
    expect(byRef["openrouter:b"]!.generation?.id).toBe("b");
    expect(r.stderr).toMatch(/^genledger batch: 2 done, 1 failed; total cost/);
    const get = await genledger(["get", "openrouter", "deep", "--json"], { env });
    expect(get.code).toBe(1);
    expect(get.stderr).toMatch(/^genledger: .+\n$/);
  });

  it("prints gateway text to a terminal without its control and escape sequences", async () => {
    const evil = "\u001b]0;owned\u0007\u001b[2J\u001b[31mgpt\u009b1m\r\nx\u0008y";
    const env = await openRouterAnswering((id) =>
      JSON.stringify(openRouterGeneration(id, { model: evil, provider_name: evil })),
    );
    const r = await genledger(["get", "openrouter", "a"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("model    gpt x y (via gpt x y");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    await mock({ openrouter: { fault: { status: 400, message: `bad ${evil}` } } });
    const failed = await genledger(["get", "openrouter", "a"]);
    expect(failed.stderr).toBe("genledger: OpenRouter 400 Bad Request: bad gpt x y\n");
  });
});

describe("genledger --help", () => {
  it("loads no gateway, batch, CSV, progress-bar or mock-server code", () => {
    const log = join(dir, "loaded.txt");
    const hook = `import { appendFileSync } from "node:fs";
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); }`;
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(`import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`)}`,
        bin,
        "--help",
      ],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: genledger/);
    const loaded = readFileSync(log, "utf8").trim().split("\n");
    const ours = loaded.filter((url) => url.includes("/packages/cli/dist/"));
    expect(ours[0]).toMatch(/\/bin\.js$/);
    // Besides the command's own files, only commander.
    expect(loaded.filter((url) => !ours.includes(url) && !/\/commander\//.test(url))).toEqual([]);
    const code = ours.map((url) => readFileSync(fileURLToPath(url), "utf8")).join("\n");
    expect(code).not.toMatch(/function (runBatch|readPrevious|runDemo|runList|ledgerFor)\b/);
    expect(code).not.toMatch(/from "(@genledger\/|csv-|cli-progress|msw)/);
  });
});

describe("genledger batch in a real terminal (tmux)", () => {
  const tmux = (...args: string[]) => spawnSync("tmux", args, { encoding: "utf8" });
  const screen = (session: string) => tmux("capture-pane", "-p", "-t", session).stdout;

  it.each([40, 120])(
    "at %i columns: warnings above the bar, the bar fits, the summary on a clean line",
    async (columns) => {
      const g = await mock({ openrouter: { delayMs: 100 } });
      const refs = Array.from({ length: 30 }, (_, i) => (i % 10 === 5 ? `not-a-ref-${i}` : `openrouter:gen-${i}`));
      const file = join(dir, `refs-${columns}.txt`);
      await writeFile(file, `${refs.join("\n")}\n`);
      const out = join(dir, `out-${columns}.jsonl`);
      const session = `genledger-${columns}-${process.pid}`;
      const env = Object.entries({ ...g.env, ...keys, NO_COLOR: "1" })
        .map(([k, v]) => `${k}='${v}'`)
        .join(" ");
      const command = `env ${env} '${process.execPath}' '${bin}' batch '${file}' --output '${out}' --concurrency 1; echo EXITED $?; sleep 60`;
      expect(tmux("new-session", "-d", "-s", session, "-x", String(columns), "-y", "30", command).status).toBe(0);
      try {
        // While it runs (some 3 s of slow lookups): the bar's line holds the count, the failures and the
        // ETA, within the width. Polled until seen or the batch ended, whatever the machine's load.
        let running = "";
        while (!/\d+\/30 refs · \d+ failed · eta/.test(running) && !running.includes("EXITED")) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          running = screen(session);
        }
        const barLine = running.split("\n").find((l) => /refs · \d+ failed · eta/.test(l));
        expect(barLine, "the bar was drawn before the batch ended").toBeDefined();
        expect((barLine as string).length).toBeLessThan(columns);
        let done = "";
        while (!done.includes("EXITED")) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          done = screen(session);
        }
        const lines = done.split("\n").filter((l) => l.trim() !== "");
        // Each warning whole on its own line(s), no bar drawn into it; the summary after them, then the exit.
        const warnings = lines.filter((l) => l.startsWith("genledger: line "));
        expect(warnings).toHaveLength(3);
        for (const w of warnings) expect(w).not.toMatch(/[█░]|refs ·/);
        const summary = lines.findIndex((l) => l.startsWith("genledger batch: "));
        expect(summary).toBeGreaterThan(lines.indexOf(warnings.at(-1) as string));
        // (A narrow terminal wraps the summary itself: its pieces are joined back.)
        expect(lines.slice(summary, -1).join("")).toContain("27 done, 0 failed, 3 bad lines");
        expect(lines.some((l) => /[█░]/.test(l))).toBe(false); // the bar is gone at the end
        expect(lines.at(-1)).toBe("EXITED 1");
      } finally {
        tmux("kill-session", "-t", session);
      }
    },
    60_000,
  );
});

describe("the package as it ships", () => {
  it("holds commander once (bundled into the bin, not also a dependency) and each chunk once", async () => {
    const { readdirSync } = await import("node:fs");
    const distDir = join(dirname(bin));
    const manifest = JSON.parse(readFileSync(join(distDir, "..", "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      exports: Record<string, unknown>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain("commander");
    expect(readFileSync(bin, "utf8")).toContain("commander");
    expect(readFileSync(join(distDir, "THIRD-PARTY-NOTICES.md"), "utf8")).toContain("commander");
    // A command, not a library: no second build of its modules for an import entry.
    expect(Object.keys(manifest.exports)).toEqual(["./package.json"]);
    const named = readdirSync(distDir)
      .filter((f) => f.endsWith(".js") && !f.startsWith("chunk-"))
      .map((f) => f.replace(/-[A-Z0-9]{8}\.js$/, ""));
    expect(named.length).toBeGreaterThan(5);
    expect(new Set(named).size).toBe(named.length);
  });
});

describe("genledger batch against a rate-limited gateway", () => {
  it("fails no row however high --concurrency is, and says how many 429s it met", async () => {
    await mock({ openrouter: { delayMs: 5, rateLimit: { requestsPerSecond: 60, burst: 5 } } });
    const ids = Array.from({ length: 120 }, (_, i) => `gen-${i}`).join("\n");
    const r = await genledger(["batch", "-", "--provider", "openrouter", "--concurrency", "64"], { stdin: ids });
    expect(r.code).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows).toHaveLength(120);
    expect(rows.filter((row) => row.error)).toEqual([]);
    expect(r.stderr).toMatch(/120 done, 0 failed/);
    expect(r.stderr).toMatch(/\d+ rate-limited answers? \(429\) from openrouter in \d+ requests, paced at [\d.]+\/s/);
  });

  it("with --deadline, fails at once the rows the gateway asks to wait past it, each a RateLimitError", async () => {
    await mock({ openrouter: { fault: { status: 429, retryAfter: 600 } } });
    const r = await genledger(["batch", "-", "--provider", "openrouter", "--deadline", "30s"], {
      stdin: "gen-1\ngen-2\n",
    });
    expect(r.code).toBe(1);
    const rows = jsonLines(r.stdout);
    expect(rows.map((row) => row.error?.name)).toEqual(["RateLimitError", "RateLimitError"]);
    expect(r.stderr).toMatch(/0 done, 2 failed/);
  });

  it("with --rate, paces from the first lookup: no 429 at all", async () => {
    await mock({ openrouter: { rateLimit: { requestsPerSecond: 40, burst: 5 } } });
    const ids = Array.from({ length: 30 }, (_, i) => `gen-${i}`).join("\n");
    const r = await genledger(["batch", "-", "--provider", "openrouter", "--concurrency", "16", "--rate", "30"], {
      stdin: ids,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/30 done, 0 failed/);
    expect(r.stderr).not.toMatch(/rate-limited/);
  });

  it.each([
    ["--rate", "0"],
    ["--rate", "fast"],
    ["--deadline", "soon"],
    ["--deadline", "-5s"],
  ])("refuses %s %s as a usage error (exit 2)", async (flag, value) => {
    await mock();
    const r = await genledger(["batch", "-", "--provider", "openrouter", flag, value], { stdin: "gen-1\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(flag === "--rate" ? /requests a second/ : /duration such as 90s/);
  });
});

// The command, run as a child process against a real mock gateway on 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
const keys = {
  OPENROUTER_API_KEY: "or-test-key-0123456789",
  ZENMUX_API_KEY: "zm-test-key-0123456789",
  FASTROUTER_API_KEY: "fr-test-key-0123456789",
  AI_GATEWAY_API_KEY: "ag-test-key-0123456789",
};

let gateway: MockGateway | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "genledger-cli-"));
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
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
    expect(none.code).toBe(1);
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
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("genledger: ZENMUX_API_KEY is not set (the zenmux API key)\n");
  });

  it("exits 2 on a usage error", async () => {
    const unknown = await genledger(["get", "bedrock", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("expected one of openrouter, zenmux, fastrouter, oxen, vercel");
    expect((await genledger(["get", "openrouter"])).code).toBe(2);
    expect((await genledger(["frobnicate"])).code).toBe(2);
    expect((await genledger(["get", "openrouter", "x", "--api-key", "k"])).code).toBe(2); // keys never come from flags
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
  }, 60_000);

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
    await writeFile(
      out,
      "ref,provider,id,status,model,input_tokens,output_tokens,cost,currency,billing,error\noxen:a,oxen,a,succeeded,m,,,0.1,credits,final,\n",
    );
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
    expect(header).toBe("ref,provider,id,status,model,input_tokens,output_tokens,cost,currency,billing,error");
    expect(rows.map((l) => l.split(",")[0]).sort()).toEqual(["fastrouter:gen-1", "zenmux:gen-2"]);
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

describe("genledger mock", () => {
  it("serves in the foreground and prints its base URLs", async () => {
    const child = spawn(process.execPath, [bin, "mock"], { stdio: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    try {
      const output = await new Promise<string>((resolve) => {
        let text = "";
        child.stdout.on("data", (d) => {
          text += d;
          if (text.includes("Ctrl-C")) resolve(text);
        });
      });
      const base = /export OPENROUTER_BASE_URL=(\S+)/.exec(output)?.[1];
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openrouter\/api\/v1$/);
      const res = await fetch(`${base}/generation?id=gen-1`, { headers: { authorization: "Bearer any" } });
      expect(((await res.json()) as { data: { id: string } }).data.id).toBe("gen-1");
    } finally {
      child.kill("SIGTERM");
    }
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
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

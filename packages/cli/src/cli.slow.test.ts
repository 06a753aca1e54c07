// The command, run as a child process against a real mock gateway on 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bin, dir, genledger, mock, runMock } from "./__fixtures__/cli.js";

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
      'genledger: unknown provider "bedrock" (one of openrouter, zenmux, fastrouter, oxen, vercel, nanogpt, cloudflare, litellm, helicone)\n',
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
    const { child, output } = await runMock();
    try {
      const base = /export OPENROUTER_BASE_URL=(\S+)/.exec(output)?.[1];
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openrouter\/api\/v1$/);
      // Ready-to-paste key lines, one per gateway, long enough for the clients.
      const key = /export OPENROUTER_API_KEY=(\S+)/.exec(output)?.[1] as string;
      expect(key.length).toBeGreaterThanOrEqual(8);
      expect(output).toContain("export AI_GATEWAY_API_KEY=");
      expect(output).toContain("any key of 8 characters or more works");
      // The AI SDK's gateway endpoint too, which no variable carries.
      expect(output).toMatch(/^export AI_SDK_GATEWAY_URL=http:\/\/127\.0\.0\.1:\d+\/vercel\/v3\/ai$/m);
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
    for (const gw of [
      "openrouter",
      "zenmux",
      "fastrouter",
      "vercel",
      "oxen",
      "nanogpt",
      "cloudflare",
      "litellm",
      "helicone",
    ])
      expect(r.stdout).toMatch(new RegExp(`^${gw} `, "m"));
    // Oxen's credits are Oxen's: named with their gateway, never added to another's.
    expect(r.stdout).toMatch(/^total: \d+\.\d+ USD, \d+\.\d+ oxen credits$/m);
    // The same records kept in an embedded store, and reported from it: by gateway, then by day.
    const [, usd, credits] = r.stdout.match(/^total: (\S+) USD, (\S+) oxen credits$/m) ?? [];
    expect(r.stdout).toMatch(/^kept: \d+ records in .*genledger\.db/m);
    const reports = r.stdout.split("genledger report --by ").slice(1);
    expect(reports.map((t) => t.split("\n")[0])).toEqual(["provider,basis", "day"]);
    expect(reports[0]).toMatch(/^openrouter +billed +1 +0 +0\.003818 /m);
    // Billing pending: no cost yet, so no basis.
    expect(reports[0]).toMatch(/^zenmux +\(none\) +1 +1 /m);
    // Cloudflare's, LiteLLM's and Helicone's costs are computed by the gateway, and said to be.
    expect(reports[0]).toMatch(/^cloudflare +computed +1 +0 /m);
    expect(r.stdout).toMatch(/^helicone +\S+ +\S+ +succeeded +\d+\/\d+ +0\.\d+ USD \(computed\)$/m);
    for (const report of reports) {
      expect(report).toMatch(
        new RegExp(`^total +\\d+ +3 +${usd?.replace(".", "\\.")} +${credits?.replace(".", "\\.")} `, "m"),
      );
    }
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

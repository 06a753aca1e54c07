import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dir, genledger, jsonLines, keys, mock } from "./__fixtures__/cli.js";

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
      fastrouter: { delayMs: 2, fault: (id) => (id.endsWith("06") ? { status: 500, retryAfter: 0 } : undefined) },
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
    const expectedFailures = refs.filter((ref) => /^openrouter:.*0$|^fastrouter:.*06$/.test(ref));
    expect(failed.map((row) => row.ref).sort()).toEqual(expectedFailures.sort());
    expect(r.code).toBe(1);
    expect(g.stats.maxInFlight).toBeLessThanOrEqual(6);
    expect(g.stats.maxInFlight).toBeGreaterThan(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^genledger batch: ${3000 - expectedFailures.length} done, ${expectedFailures.length} failed; total cost \\d+\\.\\d+ USD, \\d+\\.\\d+ oxen credits, \\d+\\.\\d+ zenmux credits\\n$`,
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

// The command, run as a child process against a real mock gateway on 127.0.0.1.
import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openRouterGeneration } from "@genledger/testing";
import { describe, expect, it } from "vitest";
import {
  bin,
  dir,
  gateway,
  genledger,
  jsonLines,
  keys,
  mock,
  openRouterAnswering,
  type Run,
  refsIn,
} from "./__fixtures__/cli.js";

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

// Every README example that makes a call, run as written against the mock gateway, as a reader would after
// `genledger mock`: its variables set (the base URLs and keys it prints) and, for the AI SDK's string
// models, the default provider pointed at the mock as the capture README says. Each runs beside the package
// it documents (the root README's beside this one, which has every SDK it shows), in a folder of its own.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startMockGateway } from "@genledger/testing";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const readmes = [
  { readme: "README.md", dir: "packages/capture" },
  ...readdirSync(join(root, "packages"))
    .filter((p) => existsSync(join(root, "packages", p, "README.md")))
    .map((p) => ({ readme: `packages/${p}/README.md`, dir: `packages/${p}` })),
];
/** The snippets that make a call (an await of a lookup, a completion, a store). */
const examples = readmes.flatMap(({ readme, dir }) => {
  const text = readFileSync(join(root, readme), "utf8");
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)]
    .map((m) => ({ code: m[1] ?? "", line: text.slice(0, m.index).split("\n").length + 1 }))
    .filter(({ code }) => /\bawait\b/.test(code))
    .map(({ code, line }) => ({ name: `${readme}:${line}`, code, dir }));
});

let mock: Awaited<ReturnType<typeof startMockGateway>>;
let work: string;
beforeAll(async () => {
  mock = await startMockGateway();
  work = mkdtempSync(join(tmpdir(), "genledger-readme-"));
});
afterAll(async () => {
  await mock?.close();
  for (const { dir } of readmes) rmSync(join(root, dir, ".readme-run"), { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe("README examples against the mock", () => {
  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThan(15);
  });

  it.each(examples)("$name runs as written", async ({ name, code, dir }) => {
    const folder = join(root, dir, ".readme-run");
    mkdirSync(folder, { recursive: true });
    // The snippet as the reader wrote it, its types stripped (esbuild, in-process: a TypeScript loader per
    // process would cost a second each).
    const file = join(folder, `${name.replace(/\W+/g, "-")}.mjs`);
    writeFileSync(file, (await transform(code, { loader: "ts", format: "esm", target: "node20" })).code);
    // What the root README tells a reader to do for the AI SDK's string models ("anthropic/claude-…").
    const setup = join(root, "packages/capture/.readme-run/default-provider.mjs");
    mkdirSync(dirname(setup), { recursive: true });
    writeFileSync(
      setup,
      'import { createGateway } from "@ai-sdk/gateway";\nglobalThis.AI_SDK_DEFAULT_PROVIDER = createGateway({ baseURL: process.env.AI_SDK_GATEWAY_URL });\n',
    );
    const cwd = mkdtempSync(join(work, "run-"));
    const keys = {
      ...Object.fromEntries(
        Object.keys(mock.env).map((v) => [v.replace(/_BASE_URL$/, "_API_KEY"), "mock-key-0123456789"]),
      ),
      // Cloudflare's is an API token, named as its own tools name it.
      CLOUDFLARE_API_TOKEN: "mock-key-0123456789",
    };
    const child = spawn(process.execPath, ["--import", pathToFileURL(setup).href, file], {
      cwd,
      env: {
        ...process.env,
        ...mock.env,
        ...keys,
        // What `genledger mock` prints beside the gateways' variables.
        AI_SDK_GATEWAY_URL: mock.baseUrls.vercel.replace(/\/v1$/, "/v3/ai"),
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    const status = await new Promise((resolve) => child.on("close", resolve));
    expect({ status, err }, `${name}\n${out}`).toEqual({ status: 0, err: "" });
    // A capture example books its call: first the estimate, then the billed record.
    if (code.includes("onGeneration") && code.includes("fetch: capture.fetch")) {
      expect(out).toMatch(/\bestimated\b/);
      expect(out).toMatch(/\bfinal\b/);
    }
  });
});

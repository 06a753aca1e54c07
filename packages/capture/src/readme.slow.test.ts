// The root README's "Capture" example, run as written against the mock gateway, as a reader would
// after `genledger mock`: its output shows the estimate, the billed record and the tags.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockGateway } from "@genledger/testing";
import { expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");

it("the README's Capture example runs as written, and books the call it makes", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**Capture**"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toContain("fetch: capture.fetch");
  // Not `.readme-snippets`: the README type-check (scripts) empties that one, and may run at the same time.
  const dir = join(here, "../.readme-run");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "capture-example.ts");
  writeFileSync(file, code as string);

  const mock = await startMockGateway({ openrouter: { notReadyCalls: 1 } });
  try {
    const child = spawn(process.execPath, ["--import", "tsx", file], {
      cwd: root,
      env: { ...process.env, ...mock.env, OPENROUTER_API_KEY: "mock-key-1234" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    const status = await new Promise((resolve) => child.on("close", resolve));
    expect(err).toBe("");
    expect(status).toBe(0);
    expect(out).toMatch(/^Hello from the genledger mock gateway\.estimated gen-\S+ \d\.\d+ \{ customer: 'acme' \}$/m);
    expect(out).toMatch(/^final gen-\S+ \d\.\d+ \{ customer: 'acme' \}$/m);
    expect(out).toContain("captured: 1,");
    expect(out).toContain("resolved: 1,");
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

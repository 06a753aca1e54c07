// The package as it ships (dist/), in a child process where msw cannot be resolved: only the msw entry needs it.
import { spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("without msw", () => {
  // A child process in which resolving msw fails, as it does where msw is not installed.
  const withoutMsw = (code: string) =>
    spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent("export async function resolve(s, c, next) { if (s === 'msw' || s.startsWith('msw/')) throw new Error('msw is not installed'); return next(s, c); }"));
${code}`,
      ],
      { cwd: dirname(fileURLToPath(import.meta.url)), encoding: "utf8" },
    );

  it("the main entry loads and the loopback server serves", () => {
    const r = withoutMsw(`const { startMockGateway } = await import("@genledger/testing");
const gateway = await startMockGateway();
const res = await fetch(gateway.baseUrls.oxen + "/api/ai/generations/job-1");
console.log((await res.json()).generation.generation_id);
await gateway.close();`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("job-1\n");
  });

  it("only the msw entry needs it", () => {
    const r = withoutMsw(`await import("@genledger/testing/msw");`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("msw is not installed");
  });
});

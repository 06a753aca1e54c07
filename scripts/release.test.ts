import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "./lib/specs.js";
import { pendingChangesets, type Runner, release, steps } from "./release.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "genledger-release-"));
  await mkdir(join(root, ".changeset"));
  await writeFile(join(root, ".changeset", "README.md"), "# Changesets\n");
  await writeFile(join(root, ".changeset", "config.json"), "{}\n");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function recorder(results: Record<string, { code: number; output?: string }> = {}) {
  const ran: string[] = [];
  const run: Runner = async (command) => {
    const line = command.join(" ");
    ran.push(line);
    return { code: results[line]?.code ?? 0, output: results[line]?.output ?? "" };
  };
  return { ran, run };
}

const quiet = { log: () => {}, error: () => {} };

describe("pnpm release", () => {
  it("refuses, naming each changeset, when changesets were not versioned, and runs nothing", async () => {
    await writeFile(
      join(root, ".changeset", "openrouter-spec-1a2b.md"),
      '---\n"@genledger/openrouter": minor\n---\n\nx\n',
    );
    const { ran, run } = recorder();
    const errors: string[] = [];
    const code = await release({ root, run, log: () => {}, error: (l) => errors.push(l) });
    expect(code).toBe(1);
    expect(ran).toEqual([]);
    expect(errors.join("\n")).toContain(".changeset/openrouter-spec-1a2b.md");
    expect(errors.join("\n")).toContain("Version Packages");
    expect(errors.join("\n")).toContain("pnpm changeset version");
  });

  it("builds, type-checks, tests and lints the packages before it publishes", async () => {
    const { ran, run } = recorder();
    expect(await release({ root, run, ...quiet })).toBe(0);
    expect(ran).toEqual([
      "pnpm build",
      "pnpm typecheck",
      "pnpm test",
      "pnpm lint",
      "pnpm lint:packages",
      "pnpm exec changeset publish",
    ]);
    expect(steps.at(-1)?.name).toBe("publish");
  });

  it("stops at the first failing step and publishes nothing", async () => {
    const { ran, run } = recorder({ "pnpm test": { code: 3 } });
    const errors: string[] = [];
    expect(await release({ root, run, log: () => {}, error: (l) => errors.push(l) })).toBe(3);
    expect(ran).not.toContain("pnpm exec changeset publish");
    expect(ran.at(-1)).toBe("pnpm test");
    expect(errors.join("\n")).toMatch(/"test" failed.*nothing was published/);
  });

  it("says so when there was nothing left to publish", async () => {
    const { run } = recorder({
      "pnpm exec changeset publish": { code: 0, output: "🦋  warn No unpublished projects to publish" },
    });
    const lines: string[] = [];
    expect(await release({ root, run, log: (l) => lines.push(l), error: () => {} })).toBe(0);
    expect(lines.join("\n")).toContain("nothing to publish");
  });

  it("in pre mode, counts only the changesets pre.json has not versioned", async () => {
    await writeFile(join(root, ".changeset", "done.md"), "---\n---\n");
    await writeFile(join(root, ".changeset", "new.md"), "---\n---\n");
    await writeFile(
      join(root, ".changeset", "pre.json"),
      JSON.stringify({ mode: "pre", tag: "next", changesets: ["done"] }),
    );
    expect(await pendingChangesets(root)).toEqual([".changeset/new.md"]);
  });

  it("exits non-zero from the command line when changesets are pending", async () => {
    await writeFile(join(root, ".changeset", "zenmux.md"), '---\n"@genledger/zenmux": patch\n---\n\nx\n');
    const tsx = join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
    const result = await promisify(execFile)(process.execPath, [tsx, join(repoRoot, "scripts", "release.ts")], {
      cwd: root,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refusing to publish");
    expect(result.stderr).toContain(".changeset/zenmux.md");
  });
});

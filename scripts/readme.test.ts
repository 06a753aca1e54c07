// The README is the front door: its quick start must be the commands this repo defines.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./lib/specs.js";

const read = (path: string) => readFile(join(repoRoot, path), "utf8");

describe("README quick start", () => {
  it("is one line to install and run the demo, and one to run the tests", async () => {
    const readme = await read("README.md");
    const quickStart = readme.slice(
      readme.indexOf("## Quick start"),
      readme.indexOf("\n## ", readme.indexOf("## Quick start") + 1),
    );
    const commands = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => (m[1] ?? "").split("\n"))
      .map((line) => line.replace(/#.*$/, "").trim())
      .filter(Boolean);
    expect(commands).toEqual(["pnpm install && pnpm demo", "pnpm test"]);
  });

  it("names scripts that exist and do what it says", async () => {
    const pkg = JSON.parse(await read("package.json")) as { scripts: Record<string, string>; packageManager: string };
    expect(pkg.scripts.demo).toMatch(/^node scripts\/build\.mjs --js packages\/\* && node packages\/cli\/dist\/bin\.js demo$/);
    expect(pkg.scripts.test).toMatch(/^turbo run test/);
    expect(pkg.packageManager).toMatch(/^pnpm@10\./);
    const cli = JSON.parse(await read("packages/cli/package.json")) as { bin: Record<string, string> };
    expect(cli.bin.genledger).toBe("./dist/bin.js");
  });

  it("is what CI runs", async () => {
    const ci = await read(".ci/run");
    expect(ci).toContain("npm i -g pnpm@10");
    expect(ci).toMatch(/^pnpm install --frozen-lockfile$/m);
    expect(ci).toMatch(/^pnpm test( |$)/m);
  });
});

// The README is the front door: its quick start must be the commands this repo defines.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
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
    expect(pkg.scripts.demo).toMatch(
      /^node scripts\/build\.mjs --js packages\/\* && node packages\/cli\/dist\/bin\.js demo$/,
    );
    expect(pkg.scripts.test).toMatch(/^turbo run build .*&& pnpm typecheck && vitest run$/);
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

/** Every ```ts block of a README, with the line it starts on. */
export function tsSnippets(markdown: string): { code: string; line: number }[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => ({
    code: m[1] ?? "",
    line: markdown.slice(0, m.index).split("\n").length + 1,
  }));
}

describe("README snippets", () => {
  it("every TypeScript snippet of every README type-checks as written", async () => {
    const { readdirSync, mkdirSync, rmSync, writeFileSync, existsSync } = await import("node:fs");
    const { spawnSync } = await import("node:child_process");
    const { createRequire } = await import("node:module");
    // Each snippet is checked where its readers would put it: beside the package it documents (the
    // root README's beside @genledger/capture, which has every SDK it shows installed).
    const readmes = [
      { readme: "README.md", dir: "packages/capture", name: "root" },
      ...readdirSync(join(repoRoot, "packages"))
        .filter((p) => existsSync(join(repoRoot, "packages", p, "README.md")))
        .map((p) => ({ readme: `packages/${p}/README.md`, dir: `packages/${p}`, name: p })),
    ];
    const files: { file: string; from: string }[] = [];
    for (const { dir } of readmes) rmSync(join(repoRoot, dir, ".readme-snippets"), { recursive: true, force: true });
    for (const { readme, dir, name } of readmes) {
      const out = join(repoRoot, dir, ".readme-snippets");
      const snippets = tsSnippets(await read(readme));
      if (snippets.length === 0) continue;
      mkdirSync(out, { recursive: true });
      for (const [i, { code, line }] of snippets.entries()) {
        const file = join(out, `${name}-${i + 1}.ts`);
        writeFileSync(file, code);
        files.push({ file, from: `${readme}:${line}` });
      }
    }
    expect(files.length).toBeGreaterThan(15);
    const config = join(repoRoot, ".readme-snippets", "tsconfig.json");
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(
      config,
      JSON.stringify({
        extends: "../tsconfig.base.json",
        compilerOptions: { noEmit: true, types: ["node"], moduleDetection: "force", noUnusedLocals: false },
        files: files.map((f) => f.file),
      }),
    );
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", config, "--pretty", "false"], { encoding: "utf8" });
    for (const { dir } of readmes) rmSync(join(repoRoot, dir, ".readme-snippets"), { recursive: true, force: true });
    rmSync(dirname(config), { recursive: true, force: true });
    // Each error named by the README line its snippet starts on.
    const errors = result.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const hit = files.find((f) => line.includes(f.file.slice(repoRoot.length + 1)));
        return hit ? `${hit.from}: ${line.slice(line.indexOf("error"))}` : line;
      });
    expect(errors).toEqual([]);
    expect(result.status).toBe(0);
  });
});

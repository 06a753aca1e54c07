// The shipped layout (scripts/build.mjs): a main entry of one file, facades and shared modules that keep
// one definition of each class per package, and a build that refuses to duplicate one.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "./lib/specs.js";

let dir = "";
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const entry = (name: string) => ({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });

async function fixture(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "genledger-build-"));
  const exports = { ".": entry("index"), "./errors": entry("errors"), "./extra": entry("extra") };
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({
      name: "fixture",
      type: "module",
      exports: { ...exports, "./more": entry("more"), "./all": entry("all") },
    }),
  );
  await mkdir(join(dir, "src"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, "src", name), text);
  return dir;
}

const build = (d: string) =>
  execFileSync(process.execPath, [join(repoRoot, "scripts", "build.mjs"), "--js", d], { stdio: "pipe" });

const sources = {
  "errors.ts":
    "export class FixtureError extends Error {}\nexport const isFixture = (e: unknown) => e instanceof FixtureError;\n",
  "util.ts": "export const twice = (n: number) => 2 * n;\nexport const half = (n: number) => n / 2;\n",
  "index.ts": 'export { FixtureError, isFixture } from "./errors.js";\nexport { half, twice } from "./util.js";\n',
  "shared.ts": 'import { twice } from "./util.js";\nexport const four = () => twice(2);\n',
  "extra.ts":
    'import { FixtureError } from "./errors.js";\nimport { four } from "./shared.js";\nexport function fail(): never {\n  throw new FixtureError(String(four()));\n}\n',
  "more.ts": 'import { four } from "./shared.js";\nexport const more = () => four() + 1;\n',
  "all.ts": 'export { fail } from "./extra.js";\nexport { more } from "./more.js";\n',
};

describe("scripts/build.mjs", () => {
  it("emits the main entry as one file and keeps one definition of each class across entries", async () => {
    const d = await fixture(sources);
    build(d);
    const dist = join(d, "dist");
    const text = (name: string) => readFile(join(dist, name), "utf8");
    expect(await text("index.js")).not.toMatch(/from\s*"\.\//);
    expect(await text("errors.js")).toBe('export { FixtureError, isFixture } from "./index.js";\n');
    expect(await text("extra.js")).toMatch(/from "\.\/index\.js"/);
    expect(await text("extra.js")).not.toMatch(/class /);
    expect([...(await text("all.js")).matchAll(/from "([^"]+)"/g)].map((m) => m[1]).sort()).toEqual([
      "./extra.js",
      "./more.js",
    ]);
    // extra and more share one chunk for shared.ts; index.js holds util.ts, so no chunk repeats it.
    expect((await readdir(dist)).filter((f) => f.startsWith("chunk-"))).toHaveLength(1);

    const load = (name: string) => import(pathToFileURL(join(dist, name)).href);
    const [main, errors, extra, all] = await Promise.all(["index.js", "errors.js", "extra.js", "all.js"].map(load));
    expect(errors.FixtureError).toBe(main.FixtureError);
    expect(all.fail).toBe(extra.fail);
    expect(() => extra.fail()).toThrow(main.FixtureError);
    expect(all.more()).toBe(5);
  });

  it("leaves what the main entry loads with import() in a file of its own, loaded only when called", async () => {
    const d = await fixture({
      ...sources,
      "lazy.ts": "export const heavy = () => 'loaded late';\n",
      "index.ts": `${sources["index.ts"]}export const later = async () => (await import("./lazy.js")).heavy();\n`,
    });
    build(d);
    const dist = join(d, "dist");
    expect(await readFile(join(dist, "index.js"), "utf8")).not.toContain("loaded late");
    const main = await import(pathToFileURL(join(dist, "index.js")).href);
    expect(await main.later()).toBe("loaded late");
  });

  it("refuses an entry that needs a name of the main entry's modules that the main entry does not export", async () => {
    const d = await fixture({
      ...sources,
      "index.ts": 'export { FixtureError, isFixture } from "./errors.js";\nexport { half } from "./util.js";\n',
    });
    expect(() => build(d)).toThrow(/needs twice from the main entry's modules, which src\/index\.ts does not export/);
  });
});

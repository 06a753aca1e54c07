// What every published package promises users, checked on every manifest (a new gateway package included).
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./lib/specs.js";

type Manifest = {
  name: string;
  license?: string;
  type?: string;
  engines?: Record<string, string>;
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  bugs?: { url: string };
  sideEffects?: boolean | string[];
  files?: string[];
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
  publishConfig?: { access?: string };
};

const dirs = (await readdir(join(repoRoot, "packages"), { withFileTypes: true }))
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const manifests = await Promise.all(
  dirs.map(
    async (dir) =>
      [dir, JSON.parse(await readFile(join(repoRoot, "packages", dir, "package.json"), "utf8")) as Manifest] as const,
  ),
);
const root = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as Manifest;

describe.each(manifests)("packages/%s/package.json", (dir, pkg) => {
  it("says where it comes from (npm provenance needs repository)", () => {
    expect(pkg.license).toBe("MIT");
    expect(pkg.repository).toEqual({
      type: "git",
      url: "git+https://github.com/genledger/genledger.git",
      directory: `packages/${dir}`,
    });
    expect(pkg.homepage).toBe(`https://github.com/genledger/genledger/tree/main/packages/${dir}#readme`);
    expect(pkg.bugs).toEqual({ url: "https://github.com/genledger/genledger/issues" });
    expect(pkg.publishConfig?.access).toBe("public");
  });

  it("claims the same engines as the repository", () => {
    expect(pkg.engines).toEqual({ node: ">=20.19.0" });
    expect(pkg.engines).toEqual(root.engines);
  });

  it("is ESM with types first in every export, built by the shared build script", () => {
    expect(pkg.type).toBe("module");
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (subpath === "./package.json") continue;
      expect(typeof target, subpath).toBe("object");
      expect(Object.keys(target as object)[0], subpath).toBe("types");
    }
    expect(pkg.scripts?.build).toBe("node ../../scripts/build.mjs");
    expect(pkg.files).toEqual(["dist"]);
  });

  it("declares its side effects: none, except the command's entry", () => {
    expect(pkg.sideEffects).toEqual(pkg.name === "@genledger/cli" ? ["./dist/bin.js"] : false);
  });
});

// A gateway re-exports core's errors once, from core's own errors entry (one definition, so `instanceof` holds).
describe.each(manifests.filter(([dir]) => existsSync(join(repoRoot, "packages", dir, "src", "client.ts"))))(
  "packages/%s/src/index.ts",
  (dir) => {
    it("re-exports core's errors", async () => {
      const index = await readFile(join(repoRoot, "packages", dir, "src", "index.ts"), "utf8");
      expect(index).toContain('export * from "@genledger/core/errors";');
    });
  },
);

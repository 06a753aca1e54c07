// Every gateway has a consumer written against its previous release; it must still type-check
// against the current source, unless a pending changeset already bumps the package as breaking.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { checkCompat, compatFiles } from "./lib/compat.js";
import { listProviders, readSource, repoRoot, specsDir } from "./lib/specs.js";

/** package → the highest level any pending changeset gives it */
async function pendingLevels(): Promise<Map<string, string>> {
  const rank = ["patch", "minor", "major"];
  const out = new Map<string, string>();
  const dir = join(repoRoot, ".changeset");
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const front = /^---\n([\s\S]*?)\n---/.exec(await readFile(join(dir, file), "utf8"))?.[1] ?? "";
    for (const [, pkg, level] of front.matchAll(/^["']?([^"':]+)["']?:\s*(major|minor|patch)\s*$/gm)) {
      if (rank.indexOf(level!) > rank.indexOf(out.get(pkg!) ?? "")) out.set(pkg!, level!);
    }
  }
  return out;
}

describe("compatibility consumers", () => {
  it("exist for every gateway", async () => {
    const files = await compatFiles();
    for (const provider of await listProviders()) expect(files.get(provider)?.length, provider).toBeGreaterThan(0);
  });

  it("still type-check, or the pending changeset bumps the package as breaking", async () => {
    const results = await checkCompat();
    const levels = await pendingLevels();
    const files = await compatFiles();
    for (const [provider, errors] of results) {
      if (errors.length === 0) continue;
      const { package: name } = await readSource(join(specsDir, provider));
      const { version } = JSON.parse(await readFile(join(repoRoot, "packages", provider, "package.json"), "utf8"));
      // After `changeset version` (the Version Packages pull request, a release) the break is already released:
      // the package's version is a breaking step past the newest consumer's.
      const written = (files.get(provider) ?? []).flatMap((f) => /v(\d+\.\d+\.\d+)\.ts$/.exec(f)?.[1] ?? []);
      const newest = written.sort(semver.rcompare)[0];
      const released =
        newest !== undefined &&
        (semver.major(version) === 0
          ? semver.gte(version, semver.inc(newest, "minor")!)
          : semver.major(version) > semver.major(newest));
      if (released) continue;
      const breaking = String(version).startsWith("0.") ? ["minor", "major"] : ["major"];
      expect(breaking, `${name}: a consumer of the previous release breaks:\n${errors.join("\n")}`).toContain(
        levels.get(name),
      );
    }
  });
});

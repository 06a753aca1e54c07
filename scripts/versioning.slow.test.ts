// A spec bump releases one gateway package. The release plan must not drag @genledger/normalize (or another
// gateway) to a major: normalize takes the gateways as optional peers with a range that spans all of 0.x, and
// .changeset/config.json only bumps peer dependents whose range the new version leaves. The plan is what
// `changeset version` applies; changesets' own planner computes it, with nothing written but the changeset.

import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import getReleasePlan from "@changesets/get-release-plan";
import semver from "semver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repoRoot } from "./lib/specs.js";

type Manifest = { name: string; version: string; peerDependencies?: Record<string, string> };

let work: string;

/** The workspace as changesets sees it: manifests, workspace file and changesets config, nothing else. */
async function copyWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "genledger-versioning-"));
  for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) {
    await cp(join(repoRoot, file), join(dir, file));
  }
  for (const name of await readdir(join(repoRoot, "packages"))) {
    await mkdir(join(dir, "packages", name), { recursive: true });
    await cp(join(repoRoot, "packages", name, "package.json"), join(dir, "packages", name, "package.json"));
  }
  // The config names its changelog module by package name: resolve it from the repo's node_modules.
  await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

async function manifests(dir: string): Promise<Map<string, Manifest>> {
  const byName = new Map<string, Manifest>();
  for (const name of await readdir(join(dir, "packages"))) {
    const pkg = JSON.parse(await readFile(join(dir, "packages", name, "package.json"), "utf8")) as Manifest;
    byName.set(pkg.name, pkg);
  }
  return byName;
}

/** The manifests as `changeset version` would leave them after a changeset with `releases`. */
async function version(dir: string, releases: Record<string, "major" | "minor" | "patch">) {
  const front = Object.entries(releases)
    .map(([name, bump]) => `"${name}": ${bump}`)
    .join("\n");
  await writeFile(join(dir, ".changeset", "spec-bump.md"), `---\n${front}\n---\n\nThe gateway added a field.\n`);
  const plan = await getReleasePlan(dir);
  const after = await manifests(dir);
  for (const release of plan.releases) {
    const pkg = after.get(release.name);
    if (pkg) pkg.version = release.newVersion;
  }
  return after;
}

/** How far a package moved: "none", "patch", "minor" or "major". */
function bump(before: Manifest, after: Manifest): string {
  return semver.diff(before.version, after.version) ?? "none";
}

beforeEach(async () => {
  work = await copyWorkspace();
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("changeset version after a spec bump", () => {
  const gateways = ["@genledger/openrouter", "@genledger/zenmux", "@genledger/fastrouter", "@genledger/oxen"];

  it.each(gateways)("a minor of %s leaves normalize at most a patch and the other gateways alone", async (gateway) => {
    const before = await manifests(work);
    const after = await version(work, { [gateway]: "minor" });

    const released = after.get(gateway)!;
    expect(bump(before.get(gateway)!, released)).toBe("minor");
    expect(["none", "patch"]).toContain(bump(before.get("@genledger/normalize")!, after.get("@genledger/normalize")!));
    for (const other of gateways.filter((g) => g !== gateway)) {
      expect(after.get(other)!.version, other).toBe(before.get(other)!.version);
    }
    // A user of normalize can stay on the previous gateway version or take the new one.
    const peerRange = after.get("@genledger/normalize")!.peerDependencies![gateway]!;
    expect(semver.satisfies(before.get(gateway)!.version, peerRange), peerRange).toBe(true);
    expect(semver.satisfies(released.version, peerRange), peerRange).toBe(true);
    // Nothing anywhere goes to a major.
    for (const [name, pkg] of after) expect(bump(before.get(name)!, pkg), name).not.toBe("major");
  });

  it("two gateway minors at once still leave normalize at most a patch", async () => {
    const before = await manifests(work);
    const after = await version(work, { "@genledger/openrouter": "minor", "@genledger/oxen": "minor" });
    expect(["none", "patch"]).toContain(bump(before.get("@genledger/normalize")!, after.get("@genledger/normalize")!));
    for (const [name, pkg] of after) expect(bump(before.get(name)!, pkg), name).not.toBe("major");
  });

  it("a minor of core gives its dependents at most a patch", async () => {
    const before = await manifests(work);
    const after = await version(work, { "@genledger/core": "minor" });
    expect(bump(before.get("@genledger/core")!, after.get("@genledger/core")!)).toBe("minor");
    for (const [name, pkg] of after) {
      if (name !== "@genledger/core") expect(["none", "patch"], name).toContain(bump(before.get(name)!, pkg));
    }
  });
});

// The workflows cannot run here (actionlint lints them in .ci/run); this checks they do what README "Releasing"
// says: CI is .ci/run on the engines floor's major and the current LTS; Release versions through a pull request
// and publishes with provenance through the same `pnpm release` that refuses pending changesets.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./lib/specs.js";

type Step = { run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const workflow = async (name: string) =>
  parse(await readFile(join(repoRoot, ".github", "workflows", name), "utf8")) as {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { strategy?: { matrix: { node: number[] } }; steps: Step[] }>;
  };

describe(".github/workflows/ci.yml", () => {
  it("runs .ci/run on Node 20 and 22, on pushes to main and pull requests, with read-only permissions", async () => {
    const ci = await workflow("ci.yml");
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    const job = ci.jobs.ci!;
    expect(job.strategy?.matrix.node).toEqual([20, 22]);
    const setup = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setup?.with?.["node-version"]).toMatch(/^\$\{\{ *matrix\.node *\}\}$/);
    expect(job.steps.at(-1)?.run).toBe("bash .ci/run");
  });
});

describe(".github/workflows/release.yml", () => {
  it("opens the Version Packages pull request, or publishes with pnpm release and npm provenance", async () => {
    const release = await workflow("release.yml");
    expect(release.on).toEqual({ push: { branches: ["main"] } });
    expect(release.permissions).toMatchObject({ contents: "write", "pull-requests": "write", "id-token": "write" });
    const steps = release.jobs.release!.steps;
    const changesets = steps.find((s) => s.uses?.startsWith("changesets/action@"));
    expect(changesets?.with).toMatchObject({
      version: "pnpm changeset version",
      publish: "pnpm release",
      title: "Version Packages",
    });
    expect(changesets?.env).toMatchObject({ NPM_CONFIG_PROVENANCE: "true" });
    expect(steps.findIndex((s) => s.run === "pnpm install --frozen-lockfile")).toBeLessThan(steps.indexOf(changesets!));
  });
});

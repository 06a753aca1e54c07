// The scheduled spec-sync workflow cannot run here (actionlint lints it in .ci/run); this checks
// that it runs the bump loop the README describes, and opens a pull request only on a change.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./lib/specs.js";

describe(".github/workflows/spec-sync.yml", () => {
  it("runs daily and on demand: sync, build, generate, diff, then a pull request only when something changed", async () => {
    const workflow = parse(await readFile(join(repoRoot, ".github", "workflows", "spec-sync.yml"), "utf8"));
    expect(workflow.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    const steps: { run?: string; uses?: string; if?: string; id?: string }[] = workflow.jobs.sync.steps;
    const runs = steps.map((s) => s.run ?? s.uses ?? "").join("\n");
    const order = ["pnpm specs:sync", "pnpm specs:build", "pnpm generate", "pnpm specs:diff", "create-pull-request"];
    const at = order.map((command) => runs.indexOf(command));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // sync takes from the URLs in source.yaml: no --from
    expect(runs).not.toContain("--from");
    const pr = steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request"));
    expect(pr?.if).toBe("steps.diff.outputs.changed == 'true'");
    // "changed" means specs:diff wrote a changeset
    expect(steps.find((s) => s.id === "diff")?.run).toContain('git status --porcelain -- .changeset)" ]; then');
    expect(workflow.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });
});

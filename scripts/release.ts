// `pnpm release`: publish what `changeset version` prepared, after proving it builds, type-checks, passes its
// tests and packs correctly. It refuses to run with changesets that were never versioned: `changeset publish`
// would quietly publish the old versions (or nothing) and exit 0.
import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type Step = { name: string; command: [string, ...string[]] };

/** What a release runs, in order; the first failure stops it before anything is published. */
export const steps: Step[] = [
  { name: "build", command: ["pnpm", "build"] },
  { name: "type-check", command: ["pnpm", "typecheck"] },
  { name: "test", command: ["pnpm", "test"] },
  { name: "lint", command: ["pnpm", "lint"] },
  { name: "lint the packages (publint, attw)", command: ["pnpm", "lint:packages"] },
  { name: "publish", command: ["pnpm", "exec", "changeset", "publish"] },
];

/** Runs a command in `cwd`, showing its output, and returns its exit code and what it printed. */
export type Runner = (command: Step["command"], cwd: string) => Promise<{ code: number; output: string }>;

/** Changeset files not yet consumed by `changeset version` (in pre mode, those pre.json has not recorded). */
export async function pendingChangesets(root: string): Promise<string[]> {
  const dir = join(root, ".changeset");
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".md") && n !== "README.md");
  let versioned: string[] = [];
  try {
    versioned = (JSON.parse(await readFile(join(dir, "pre.json"), "utf8")) as { changesets: string[] }).changesets;
  } catch {
    // not in pre mode
  }
  return names.filter((n) => !versioned.includes(n.slice(0, -3))).map((n) => `.changeset/${n}`);
}

export async function release({
  root,
  run,
  log = console.log,
  error = console.error,
}: {
  root: string;
  run: Runner;
  log?: (line: string) => void;
  error?: (line: string) => void;
}): Promise<number> {
  const pending = await pendingChangesets(root);
  if (pending.length > 0) {
    error(
      [
        `pnpm release: refusing to publish: ${pending.length} changeset(s) not versioned yet:`,
        ...pending.map((p) => `  ${p}`),
        "Publishing now would release the old versions, or nothing. Version them first:",
        '  in CI, merge the "Version Packages" pull request; locally, `pnpm changeset version`, review and commit.',
      ].join("\n"),
    );
    return 1;
  }
  for (const step of steps) {
    log(`\n▶ release: ${step.name} (${step.command.join(" ")})`);
    const { code, output } = await run(step.command, root);
    if (code !== 0) {
      error(`pnpm release: "${step.name}" failed (exit ${code}); nothing was published.`);
      return code;
    }
    if (step.name === "publish" && /No unpublished projects to publish/.test(output)) {
      log("pnpm release: nothing to publish: every package's version is already on the registry.");
    }
  }
  return 0;
}

const runCommand: Runner = (command, cwd) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = command;
    const child = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await release({ root: process.cwd(), run: runCommand });
}

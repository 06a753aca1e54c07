// specs:diff's recording step: compare each openapi.yaml with its version at a git revision, add
// what the compatibility consumers say, and write one changeset per changed provider that also
// names the packages changed alongside it (knock-on: testing fixtures, normalize mappers).
import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { checkCompat, checkCompatAt, newErrors } from "./compat.js";
import { type Change, changesetFile, describeChanges, diffSpecs, type Level, levelFor } from "./diff.js";
import { listProviders, readSource, sha256 } from "./specs.js";

const run = promisify(execFile);

interface Pkg {
  dir: string;
  name: string;
  version: string;
  deps: Set<string>;
}

async function workspacePackages(root: string): Promise<Pkg[]> {
  const dirs = await readdir(join(root, "packages")).catch(() => [] as string[]);
  const out: Pkg[] = [];
  for (const dir of dirs) {
    const json = await readFile(join(root, "packages", dir, "package.json"), "utf8").catch(() => undefined);
    if (!json) continue;
    const p = JSON.parse(json) as Record<string, any>;
    const deps = new Set<string>(
      ["dependencies", "peerDependencies", "devDependencies"].flatMap((k) => Object.keys(p[k] ?? {})),
    );
    out.push({ dir, name: p.name, version: p.version ?? "0.0.0", deps });
  }
  return out;
}

/** Source files of each package changed since `base` (committed or not), leaving out tests and generated code. */
async function changedSources(root: string, base: string): Promise<Map<string, string[]>> {
  const git = async (...args: string[]) =>
    (await run("git", args, { cwd: root }).catch(() => ({ stdout: "" }))).stdout.split("\n").filter(Boolean);
  const files = [
    ...(await git("diff", "--name-only", base, "--", "packages")),
    ...(await git("ls-files", "--others", "--exclude-standard", "--", "packages")),
  ];
  const out = new Map<string, string[]>();
  for (const file of files) {
    const m = /^packages\/([^/]+)\/(src\/.+)$/.exec(file);
    if (!m || /\/generated\/|\.test(-d)?\.ts$|\.bench\.ts$/.test(m[2]!)) continue;
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

export interface Recorded {
  provider: string;
  level?: Level;
  changes: Change[];
  file?: string;
}

/**
 * Idempotent: the changeset is named after the provider and the spec it was compared with, so
 * running again rewrites the same file (or removes it when there is no longer a change).
 */
export async function recordChanges(root: string, base: string, only: string[] = []): Promise<Recorded[]> {
  const providers = only.length > 0 ? only : await listProviders(join(root, "specs"));
  const packages = await workspacePackages(root);
  const changedBy = await changedSources(root, base);
  // The consumers' errors now and at `base`: only what this change breaks counts.
  let compat: { head: Map<string, string[]>; base: Map<string, string[]> } | undefined;
  const compatOf = async () => {
    const dirs = new Map<string, string>();
    for (const provider of await listProviders(join(root, "specs"))) {
      const source = await readSource(join(root, "specs", provider));
      const pkg = packages.find((p) => p.name === source.package);
      if (pkg) dirs.set(provider, pkg.dir);
    }
    return { head: await checkCompat(root), base: await checkCompatAt(root, base, dirs) };
  };
  const results: Recorded[] = [];
  for (const provider of providers) {
    const path = `specs/${provider}/openapi.yaml`;
    const after = await readFile(join(root, path), "utf8");
    const before = await run("git", ["show", `${base}:${path}`], { cwd: root }).then(
      (r) => r.stdout,
      () => "", // new in this change: everything is added
    );
    const file = join(root, ".changeset", `${provider}-spec-${sha256(before).slice(0, 8)}.md`);
    const changes = diffSpecs(parse(before) ?? { openapi: "3.1.0", paths: {} }, parse(after) ?? {});
    const source = await readSource(join(root, "specs", provider));
    const own = packages.find((p) => p.name === source.package);
    if (changes.length > 0) {
      compat ??= await compatOf();
      for (const error of newErrors(compat.head.get(provider) ?? [], compat.base.get(provider) ?? [])) {
        changes.push({
          kind: "breaking",
          where: "types",
          summary: `code written against the previous release no longer type-checks (${error}); adjust such code as described above.`,
        });
      }
    }
    const level = levelFor(changes, own?.version);
    if (!level) {
      await rm(file, { force: true });
      results.push({ provider, changes });
      continue;
    }
    // Packages built on this one whose sources changed with it: testing's fixtures and mock routes
    // mirror the gateway (same level); others (normalize's mappers) adapt behind a stable API (patch).
    const levels: Record<string, Level> = { [source.package]: level };
    const followers: string[] = [];
    for (const pkg of packages) {
      if (pkg.name === source.package || !pkg.deps.has(source.package)) continue;
      const files = changedBy.get(pkg.dir);
      if (!files) continue;
      levels[pkg.name] = pkg.name === "@genledger/testing" ? level : "patch";
      followers.push(`\`${pkg.name}\` (${files.join(", ")})`);
    }
    let body = describeChanges(
      `${source.package}: ${provider}'s API description changed (\`${path}\`); the generated types and the client follow it.`,
      changes,
    );
    // Which upstream revision the change follows, where the source said.
    const revisions = source.files.flatMap((f) => {
      const r = f.revision;
      const parts = [
        r?.commit && `commit ${r.commit}`,
        r?.etag && `ETag ${r.etag}`,
        r?.last_modified && `Last-Modified ${r.last_modified}`,
      ];
      const said = parts.filter(Boolean);
      return said.length > 0 || f.version
        ? [`\`${f.url}\`${f.version ? ` (version ${f.version})` : ""}${said.length ? `: ${said.join(", ")}` : ""}`]
        : [];
    });
    if (revisions.length > 0) body += `\nUpstream as taken: ${revisions.join("; ")}.\n`;
    const ownFiles = own ? changedBy.get(own.dir) : undefined;
    if (ownFiles) body += `\nThe client changed with it: ${ownFiles.join(", ")} (see the package README).\n`;
    if (followers.length > 0) body += `\nUpdated to match: ${followers.join(", ")}.\n`;
    await writeFile(file, changesetFile(levels, body));
    results.push({ provider, level, changes, file });
  }
  return results;
}

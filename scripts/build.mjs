#!/usr/bin/env node
// @ts-check
// Builds a package as it ships: one ESM file per entry point (esbuild, dependencies left as imports, shared code
// in chunks so a class is defined once per package), and tsc's `.d.ts` beside it. Every package's `build` script is
// `node ../../scripts/build.mjs`; the entry points are read from its `exports` and `bin`, so there is nothing to
// configure per package. Plain JavaScript because it runs once per package per build: tsx would cost more than esbuild.
//
//   node scripts/build.mjs                  build the package in the working directory (JavaScript and types)
//   node scripts/build.mjs --js DIR...      JavaScript only, for several packages in one process (`pnpm demo`)
import { spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * `./dist/x.js` for every entry point a package declares, mapped to its source `src/x.ts`.
 * @param {{ exports?: Record<string, unknown>, bin?: string | Record<string, string> }} pkg
 * @returns {Record<string, string>} output name (without `.js`, relative to dist) → source file
 */
function entryPoints(pkg) {
  /** @type {string[]} */
  const targets = [];
  for (const target of Object.values(pkg.exports ?? {})) {
    if (typeof target === "string") targets.push(target);
    else if (target && typeof target === "object") {
      const conditions = /** @type {Record<string, unknown>} */ (target);
      const file = conditions.import ?? conditions.default;
      if (typeof file === "string") targets.push(file);
    }
  }
  if (typeof pkg.bin === "string") targets.push(pkg.bin);
  else targets.push(...Object.values(pkg.bin ?? {}));
  /** @type {Record<string, string>} */
  const entries = {};
  for (const target of targets) {
    const match = /^\.\/dist\/(.+)\.js$/.exec(target);
    if (match?.[1]) entries[match[1]] = `src/${match[1]}.ts`;
  }
  return entries;
}

/** @param {string} dir @param {{ types: boolean }} options */
async function buildPackage(dir, { types }) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const entries = entryPoints(pkg);
  if (Object.keys(entries).length === 0) throw new Error(`${pkg.name}: no ./dist/*.js entry point in exports or bin`);
  // A full build starts from an empty dist so nothing stale ships; the JavaScript-only build keeps the .d.ts.
  if (types) rmSync(join(dir, "dist"), { recursive: true, force: true });
  // npm packs a package's own LICENSE only: each tarball gets the root one (ignored by git).
  copyFileSync(join(root, "LICENSE"), join(dir, "LICENSE"));
  await build({
    absWorkingDir: dir,
    entryPoints: entries,
    outdir: "dist",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  if (types) {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--emitDeclarationOnly"], {
      cwd: dir,
      stdio: "inherit",
    });
    if (result.status !== 0) throw new Error(`${pkg.name}: tsc failed (see above)`);
  }
}

const args = process.argv.slice(2);
const jsOnly = args.includes("--js");
const dirs = args.filter((a) => !a.startsWith("--"));
try {
  await Promise.all((dirs.length ? dirs : ["."]).map((d) => buildPackage(resolve(d), { types: !jsOnly })));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

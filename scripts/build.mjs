#!/usr/bin/env node
// @ts-check
// Builds a package as it ships (esbuild, dependencies left as imports, tsc's `.d.ts` beside it). Every package's
// `build` script is `node ../../scripts/build.mjs`; the entry points are read from its `exports` and `bin`, so there
// is nothing to configure per package. Plain JavaScript because it runs once per package per build: tsx would cost
// more than esbuild.
//
// Start-up time goes with the number of modules Node loads, not their bytes, so:
// - the main entry (`.` → dist/index.js, or `./internal` where a package has one) is one file, with no chunk
//   (but what it loads with import());
// - another entry whose source is inside the main entry's graph is a facade: `export { a, b } from "./index.js"`;
// - the other entries are built together (chunks only for what they share), and import whatever the main entry's
//   graph holds from "./index.js": a class is defined once per package, so `instanceof` holds across entries;
// - a `bin` is a program, never imported: built on its own, with chunks so each command loads only what it needs,
//   and with the third-party packages it imports statically bundled (licences in dist/THIRD-PARTY-NOTICES.md).
//
//   node scripts/build.mjs                  build the package in the working directory (JavaScript and types)
//   node scripts/build.mjs --js DIR...      JavaScript only, for several packages in one process (`pnpm demo`)
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { binEntries, libraryEntries } from "../entry-points.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Output name (no `.js`, relative to dist) → source, for the library entries and for the programs. */
function entryPoints(/** @type {import("../entry-points.mjs").Manifest} */ pkg) {
  /** @param {import("../entry-points.mjs").Entry[]} entries @returns {Record<string, string>} */
  const byOutput = (entries) => Object.fromEntries(entries.map((e) => [e.output, e.source]));
  return { library: byOutput(libraryEntries(pkg)), bins: byOutput(binEntries(pkg)) };
}

/** Names imported from the main entry's file by esbuild's output (`import { a, b as c } from "./index.js"`). */
function namesFromMain(/** @type {string} */ code, file = "./index.js") {
  const quoted = file.replace(/[./]/g, "\\$&");
  if (new RegExp(`\\*\\s*(as\\s+\\w+\\s+)?from\\s*"${quoted}"`).test(code))
    throw new Error(`a namespace or \`export *\` of "${file}"`);
  return [...code.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*"${quoted}"`, "g"))].flatMap((m) =>
    (m[1] ?? "")
      .split(",")
      .map((s) => s.trim().split(/\s+as\s+/)[0] ?? "")
      .filter(Boolean),
  );
}

/** dist/THIRD-PARTY-NOTICES.md: the licence of each package bundled into a program, as their licences ask. */
function writeNotices(/** @type {string} */ dir, /** @type {string[]} */ inputs) {
  const packageDirs = new Set(
    inputs
      .flatMap((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? [])
      .map((d) => resolve(dir, d)),
  );
  if (packageDirs.size === 0) return;
  const sections = [...packageDirs].sort().map((packageDir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
    const file = readdirSync(packageDir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) throw new Error(`${name}: bundled, but it has no LICENSE file to pass on`);
    return `## ${name} ${version} (${license})\n\n${readFileSync(join(packageDir, file), "utf8").trim()}\n`;
  });
  writeFileSync(
    join(dir, "dist", "THIRD-PARTY-NOTICES.md"),
    `# Third-party notices\n\nThe command bundles these packages.\n\n${sections.join("\n")}`,
  );
}

/** @param {string} dir @param {{ types: boolean }} options */
async function buildPackage(dir, { types }) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const { library, bins } = entryPoints(pkg);
  if (Object.keys(library).length + Object.keys(bins).length === 0) {
    throw new Error(`${pkg.name}: no ./dist/*.js entry point in exports or bin`);
  }
  // A full build starts from an empty dist so nothing stale ships; the JavaScript-only build keeps the .d.ts.
  if (types) rmSync(join(dir, "dist"), { recursive: true, force: true });
  // npm packs a package's own LICENSE only: each tarball gets the root one (ignored by git).
  copyFileSync(join(root, "LICENSE"), join(dir, "LICENSE"));
  /** @type {import("esbuild").BuildOptions} */
  const common = {
    absWorkingDir: dir,
    outdir: "dist",
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  };
  // The widest entry is the one file the others are facades of: `./internal` where a package has one (it
  // holds what `.` holds and more: `.` is then a facade of it, naming only what it exports), else `.`.
  const mainName = library.internal ? "internal" : "index";
  const { [mainName]: mainSource, ...others } = library;
  const mainFile = `./${mainName}.js`;
  /** @type {Set<string>} */
  let mainGraph = new Set();
  /** @type {Set<string>} */
  let mainExports = new Set();
  if (mainSource) {
    // Splitting only moves what the main entry loads with import() into its own files (the cli's commands).
    const { metafile } = await build({
      ...common,
      entryPoints: { [mainName]: mainSource },
      splitting: true,
      metafile: true,
    });
    const out = metafile.outputs[`dist/${mainName}.js`];
    if (!out) throw new Error(`${pkg.name}: esbuild wrote no dist/${mainName}.js`);
    mainGraph = new Set(Object.keys(out.inputs).map((input) => resolve(dir, input)));
    mainExports = new Set(out.exports);
  }
  /** @param {string} entry @param {string[]} names */
  const checkExported = (entry, names) => {
    const missing = names.filter((name) => !mainExports.has(name));
    if (missing.length) {
      throw new Error(
        `${pkg.name}: dist/${entry}.js needs ${missing.join(", ")} from the main entry's modules, which src/${mainName}.ts does not export`,
      );
    }
  };

  /** @type {Record<string, string>} */
  const separate = {};
  for (const [name, source] of Object.entries(others)) {
    if (name.includes("/")) throw new Error(`${pkg.name}: entry ./dist/${name}.js must sit beside dist/index.js`);
    if (!mainGraph.has(resolve(dir, source))) {
      separate[name] = source;
      continue;
    }
    const { metafile, outputFiles } = await build({ ...common, entryPoints: [source], write: false, metafile: true });
    const names = Object.values(metafile.outputs).flatMap((o) => o.exports);
    if (outputFiles.some((f) => /^export\s*\*/m.test(f.text))) {
      throw new Error(
        `${pkg.name}: ${source} re-exports another package (\`export *\`?), so its facade cannot list names`,
      );
    }
    checkExported(name, names);
    writeFileSync(join(dir, "dist", `${name}.js`), `export { ${names.join(", ")} } from "${mainFile}";\n`);
  }

  if (Object.keys(separate).length) {
    // Another entry's own module is imported from that entry's file (`all` re-exports the adapters' files).
    const entryFiles = new Map(
      Object.entries(separate).map(([name, source]) => [resolve(dir, source), `./${name}.js`]),
    );
    /** @type {import("esbuild").Plugin} */
    const shareEntries = {
      name: "share-entries",
      setup(b) {
        b.onResolve({ filter: /^\./ }, async (args) => {
          if (args.pluginData === "inner" || args.kind === "entry-point") return undefined;
          const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "inner" });
          if (r.errors.length) return undefined;
          if (mainGraph.has(r.path)) return { path: mainFile, external: true };
          const file = entryFiles.get(r.path);
          return file ? { path: file, external: true } : undefined;
        });
      },
    };
    const { outputFiles } = await build({
      ...common,
      entryPoints: separate,
      splitting: true,
      plugins: [shareEntries],
      write: false,
    });
    for (const file of outputFiles) {
      checkExported(file.path.slice(join(dir, "dist").length + 1, -3), namesFromMain(file.text, mainFile));
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.contents);
    }
  }

  if (Object.keys(bins).length) {
    // A program bundles the third-party packages it imports statically (commander alone is eight modules,
    // loaded by every `--help`). The workspace's packages stay imports, and so does a package a command
    // loads with import(): it loads with that command only, and esbuild's import() of CommonJS would lose
    // the named exports Node gives it. `require` is there for the CommonJS it bundles.
    const workspace = new Set(
      Object.entries({ ...pkg.dependencies })
        .filter(([, range]) => String(range).startsWith("workspace:"))
        .map(([name]) => name),
    );
    /** @type {import("esbuild").Plugin} */
    const bundleStaticDependencies = {
      name: "bundle-static-dependencies",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.kind === "entry-point" || args.path.startsWith("node:")) return undefined;
          const name = args.path.split("/", args.path.startsWith("@") ? 2 : 1).join("/");
          if (workspace.has(name) || args.kind === "dynamic-import") return { path: args.path, external: true };
          return undefined;
        });
      },
    };
    const { metafile } = await build({
      ...common,
      packages: undefined,
      plugins: [bundleStaticDependencies],
      entryPoints: bins,
      splitting: true,
      metafile: true,
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
      },
    });
    writeNotices(dir, Object.keys(metafile.inputs));
  }

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

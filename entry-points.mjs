// @ts-check
// A package's entry points, read from its manifest: each `./dist/x.js` it exports or runs is built from
// `src/x.ts`. The build (scripts/build.mjs) and the tests' source aliases (vitest.shared.ts) both read it here,
// beside both: the tests' configuration does not reach into the maintainers' scripts.

/**
 * @typedef {{ exports?: Record<string, unknown>, bin?: string | Record<string, string> }} Manifest
 * @typedef {{ subpath: string, output: string, source: string }} Entry  subpath "." or "./x"; output "x" (in dist); source "src/x.ts"
 */

/** @param {string} subpath @param {string} target @returns {Entry[]} */
function entry(subpath, target) {
  const match = /^\.\/dist\/(.+)\.js$/.exec(target);
  return match?.[1] ? [{ subpath, output: match[1], source: `src/${match[1]}.ts` }] : [];
}

/** The library entries: every export whose `import` (or `default`) target is a `./dist/*.js` file. */
export function libraryEntries(/** @type {Manifest} */ pkg) {
  return Object.entries(pkg.exports ?? {}).flatMap(([subpath, target]) => {
    if (typeof target === "string") return entry(subpath, target);
    const conditions = /** @type {Record<string, unknown>} */ (target ?? {});
    const file = conditions.import ?? conditions.default;
    return typeof file === "string" ? entry(subpath, file) : [];
  });
}

/** The programs: each `bin` that is a `./dist/*.js` file. */
export function binEntries(/** @type {Manifest} */ pkg) {
  const bins = typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin ?? {});
  return bins.flatMap((target) => entry(".", target));
}

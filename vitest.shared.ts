import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { libraryEntries } from "./entry-points.mjs";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Tests read the source: `@genledger/x/sub` → `packages/x/src/sub.ts`, the entries `scripts/build.mjs` builds
 * (one reading of each package's `exports`, in entry-points.mjs), so an edit is tested without a
 * rebuild. What runs `dist/` on purpose (the CLI's processes, the install and runtime tests) still needs `pnpm build`.
 */
export const sourceAliases = readdirSync(join(root, "packages")).flatMap((dir) => {
  const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
  return libraryEntries(pkg).map(({ subpath, source }) => {
    const name = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    return { find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`), replacement: join(root, "packages", dir, source) };
  });
});

/** Files named `*.slow.test.ts` spawn processes, copy the repo or wait in real time: the `slow` project runs them. */
export const slowTests = "**/*.slow.test.ts";

/**
 * Every package's vitest project: unit tests beside the source, read from the source. Type tests
 * (`*.test-d.ts`) are checked once, by `pnpm typecheck` (each package's tsconfig includes them).
 * A timeout only stops a hung test; no verdict depends on it.
 */
export function packageProject(name: string) {
  return defineProject({
    resolve: { alias: sourceAliases },
    test: { name, include: ["src/**/*.test.ts"], exclude: [slowTests], testTimeout: 60_000 },
  });
}

// A project that installs @genledger/normalize and one provider must work: the main entry and each
// subpath reach only @genledger/core and their own provider at run time.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

async function runtimeImports(entry: string, seen = new Set<string>()): Promise<Set<string>> {
  const packages = new Set<string>();
  if (seen.has(entry)) return packages;
  seen.add(entry);
  const code = await readFile(entry, "utf8");
  for (const [, spec] of code.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+["']([^"']+)["']/gm)) {
    if (!spec) continue;
    if (spec.startsWith(".")) {
      for (const p of await runtimeImports(resolve(dirname(entry), spec), seen)) packages.add(p);
    } else {
      packages.add(spec);
    }
  }
  return packages;
}

describe("optional peer dependencies", () => {
  it("the main entry needs no provider package", async () => {
    expect([...(await runtimeImports(join(dist, "index.js")))]).toEqual(["@genledger/core"]);
  });

  it.each(["openrouter", "zenmux", "fastrouter", "oxen"])("the %s subpath needs only its own provider", async (p) => {
    expect([...(await runtimeImports(join(dist, `${p}.js`)))].sort()).toEqual(
      ["@genledger/core", `@genledger/${p}`].sort(),
    );
  });

  it("declares every provider as an optional peer", async () => {
    const pkg = JSON.parse(await readFile(join(dist, "..", "package.json"), "utf8"));
    for (const p of ["openrouter", "zenmux", "fastrouter", "oxen"]) {
      expect(pkg.peerDependencies[`@genledger/${p}`]).toBeDefined();
      expect(pkg.peerDependenciesMeta[`@genledger/${p}`]).toEqual({ optional: true });
      expect(pkg.dependencies[`@genledger/${p}`]).toBeUndefined();
    }
  });
});

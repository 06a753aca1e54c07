// `pnpm gateway:new`: the pieces, and a throwaway gateway scaffolded into a copy of the repository
// that builds and passes its placeholder tests straight away.
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { namesFor, parsePage, render, templatesDir } from "./lib/scaffold.js";
import { repoRoot } from "./lib/specs.js";

describe("names", () => {
  it("derives every spelling from one word", () => {
    const names = namesFor({ name: "acme", env: "ACME_AI", baseUrl: "https://api.acme.example/v1/" });
    expect(names).toEqual({
      name: "acme",
      Name: "Acme",
      camel: "acme",
      title: "Acme",
      ENV: "ACME_AI",
      baseUrl: "https://api.acme.example/v1",
    });
    expect(render("create__Name__Client __camel__Gateway __ENV___API_KEY @genledger/__name__", names)).toBe(
      "createAcmeClient acmeGateway ACME_AI_API_KEY @genledger/acme",
    );
  });

  it("refuses names that cannot be a package, an identifier and a provider at once", () => {
    expect(() => namesFor({ name: "my-gateway" })).toThrow('gateway name "my-gateway": use one lower-case word');
    expect(() => namesFor({ name: "Acme" })).toThrow("use one lower-case word");
    expect(() => namesFor({ name: "normalize" })).toThrow("is taken by the workspace");
    expect(() => namesFor({ name: "acme", env: "acme" })).toThrow("--env");
    expect(() => namesFor({ name: "acme", baseUrl: "not a url" })).toThrow("--base-url");
  });

  it("takes a page as a URL or as file=URL", () => {
    expect(parsePage("https://docs.acme.example/api/generation.md")).toEqual({
      file: "generation.md",
      url: "https://docs.acme.example/api/generation.md",
    });
    expect(parsePage("lookup.mdx=https://unpkg.com/x@1/docs/00-all.mdx")).toEqual({
      file: "lookup.mdx",
      url: "https://unpkg.com/x@1/docs/00-all.mdx",
    });
    expect(() => parsePage("nope")).toThrow("expected a URL");
  });
});

describe("the README's hand-edit list", () => {
  it("names every file where the scaffold leaves a TODO", async () => {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## Adding a gateway"),
      readme.indexOf("\n## ", readme.indexOf("## Adding a gateway") + 1),
    );
    const names = namesFor({ name: "acme" });
    const todo: string[] = [];
    for (const file of await readdir(templatesDir, { recursive: true })) {
      if (!file.endsWith(".tmpl")) continue;
      if (!(await readFile(join(templatesDir, file), "utf8")).includes("TODO(gateway:new)")) continue;
      todo.push(
        render(file, names)
          .replace(/\.tmpl$/, "")
          .replace(/\.test\.ts$/, ".ts"),
      );
    }
    expect(todo.length).toBeGreaterThanOrEqual(4);
    for (const file of todo) expect(section, file).toContain(`\`${file}\``);
  });
});

const run = (cwd: string, command: string, args: string[]) =>
  execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1", NO_COLOR: "1" },
  });

describe("pnpm gateway:new in a copy of the repository", () => {
  it("scaffolds a gateway that builds and passes its placeholder tests, with nothing edited by hand", async () => {
    const root = await mkdtemp(join(tmpdir(), "genledger-gateway-new-"));
    try {
      // The working tree as git sees it (committed or not), without node_modules, dist or caches.
      const files = run(repoRoot, "git", ["ls-files", "-co", "--exclude-standard"]).split("\n").filter(Boolean);
      for (const file of files) {
        await mkdir(dirname(join(root, file)), { recursive: true });
        await cp(join(repoRoot, file), join(root, file)).catch(() => undefined); // deleted but not staged
      }
      run(root, "pnpm", ["install", "--prefer-offline", "--frozen-lockfile"]);
      const pages = join(root, ".pages");
      await mkdir(join(pages, "acme"), { recursive: true });
      await writeFile(join(pages, "acme", "generation.md"), "# Get generation\n\n`GET /v1/generation?id=`\n");

      run(root, "pnpm", [
        "exec",
        "tsx",
        "scripts/gateway-new.ts",
        "acme",
        "--title",
        "Acme AI",
        "--base-url",
        "https://api.acme.example/v1",
        "--page",
        "https://docs.acme.example/api/generation.md",
        "--from",
        pages,
      ]);
      await rm(pages, { recursive: true });

      // The lists of gateways, derived again: normalize's and testing's, the CLI's help, the dependents.
      expect(await readFile(join(root, "packages/normalize/src/all.ts"), "utf8")).toContain(
        'export { acme } from "./acme.js";',
      );
      expect(await readFile(join(root, "packages/testing/src/gateways.ts"), "utf8")).toContain(
        'export { acmeMock as acme } from "./gateways/acme.js";',
      );
      expect(await readFile(join(root, "packages/cli/src/key-variables.ts"), "utf8")).toContain("ACME_API_KEY");
      const normalize = JSON.parse(await readFile(join(root, "packages/normalize/package.json"), "utf8"));
      expect(normalize.exports["./acme"]).toEqual({ types: "./dist/acme.d.ts", default: "./dist/acme.js" });
      expect(normalize.peerDependenciesMeta["@genledger/acme"]).toEqual({ optional: true });
      const source = await readFile(join(root, "specs/acme/source.yaml"), "utf8");
      expect(source).toMatch(/sha256: [0-9a-f]{64}/);
      expect(source).toMatch(/written_from:\n {2}upstream\/generation\.md: [0-9a-f]{64}/);

      // The pipeline accepts it; it builds; its tests, the mapper's and the mock's pass; the CLI knows it.
      run(root, "pnpm", ["specs:build", "acme"]);
      run(root, "pnpm", ["generate", "--check"]);
      run(root, "pnpm", ["--filter", "@genledger/cli...", "run", "build"]);
      const tests = (dir: string, ...files: string[]) =>
        run(join(root, dir), "pnpm", ["exec", "vitest", "run", ...files]);
      expect(tests("packages/acme")).toMatch(/Tests\s+.*\d+ passed/);
      expect(tests("packages/normalize", "src/acme.test.ts")).toMatch(/Tests\s+.*2 passed/);
      expect(tests("packages/testing", "src/gateways/acme.test.ts")).toMatch(/Tests\s+.*1 passed/);
      const unknown = (() => {
        try {
          return run(root, process.execPath, ["packages/cli/dist/bin.js", "get", "nope", "x"]);
        } catch (error) {
          return String((error as { stderr?: string }).stderr);
        }
      })();
      expect(unknown).toContain("helicone, acme");
      run(root, "pnpm", ["exec", "biome", "check", "packages/acme", "packages/normalize", "packages/testing/src"]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

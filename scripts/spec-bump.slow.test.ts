// The spec-bump workflow: take upstream (specs:sync), rebuild, and record the change (specs:diff).
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildProvider, repoRoot, SpecError, sha256 } from "./lib/specs.js";
import { commitOf, syncProvider } from "./lib/sync.js";

const run = promisify(execFile);

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "genledger-bump-"));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

// The pipeline's own fixtures (frozen seed specs), not the live specs/.
const fixtures = join(repoRoot, "scripts", "__fixtures__", "specs");

describe("syncProvider", () => {
  async function fixture() {
    const dir = join(work, "specs", "fastrouter");
    await cp(join(fixtures, "fastrouter"), dir, { recursive: true });
    const from = join(work, "from");
    await mkdir(join(from, "fastrouter"), { recursive: true });
    return { dir, from, page: join(from, "fastrouter", "get-generation-details.md") };
  }

  it("stores a changed upstream file byte for byte and records its hash and date, keeping comments", async () => {
    const { dir, from, page } = await fixture();
    const bytes = Buffer.from('# Generations\n\n```json\n{"openapi":"3.1.0"}\n```\n\u00e9\r\n');
    await writeFile(page, bytes);
    const result = await syncProvider(dir, { from, today: "2026-12-01" });
    expect(result.changed).toEqual(["upstream/get-generation-details.md"]);
    expect(await readFile(join(dir, "upstream", "get-generation-details.md"))).toEqual(bytes);
    const source = await readFile(join(dir, "source.yaml"), "utf8");
    expect(source).toContain(`sha256: ${sha256(bytes)}`);
    expect(source).toContain("taken: 2026-12-01");
    expect(source).toContain("# Where FastRouter's generation-lookup description comes from.");
  });

  it("changes nothing when upstream is unchanged", async () => {
    const { dir, from, page } = await fixture();
    await cp(join(dir, "upstream", "get-generation-details.md"), page);
    const before = await readFile(join(dir, "source.yaml"), "utf8");
    expect((await syncProvider(dir, { from, today: "2030-01-01" })).changed).toEqual([]);
    expect(await readFile(join(dir, "source.yaml"), "utf8")).toBe(before);
  });

  it("names what is missing in --from", async () => {
    const { dir, from } = await fixture();
    await expect(syncProvider(dir, { from })).rejects.toThrowError(
      /fastrouter\/get-generation-details\.md does not exist/,
    );
  });

  it("follows a renamed, re-formatted upstream file given with --url, rewriting source.yaml itself", async () => {
    const { dir, from } = await fixture();
    const spec = "openapi: 3.1.0\ninfo: {title: FastRouter, version: 2.4.0}\npaths: {}\n";
    await writeFile(join(from, "fastrouter", "openapi.yaml"), spec);
    const url = "https://raw.example.test/fastrouter/sdk/0123abc/openapi.yaml";
    const result = await syncProvider(dir, { from, urls: [url], today: "2026-12-02" });
    expect(result.changed).toEqual(["upstream/openapi.yaml", "upstream/get-generation-details.md (removed)"]);
    expect(await readFile(join(dir, "upstream", "openapi.yaml"), "utf8")).toBe(spec);
    await expect(readFile(join(dir, "upstream", "get-generation-details.md"))).rejects.toThrow();
    const source = parse(await readFile(join(dir, "source.yaml"), "utf8"));
    expect(source.files).toEqual([
      {
        path: "upstream/openapi.yaml",
        url,
        format: "yaml",
        taken: "2026-12-02",
        sha256: sha256(spec),
        version: "2.4.0",
      },
    ]);
    expect(source.package).toBe("@genledger/fastrouter");
  });

  it("notices a page that became a bare spec at the same address, and records the new format", async () => {
    const { dir, from, page } = await fixture();
    await writeFile(page, "openapi: 3.1.0\ninfo: {title: t, version: '7'}\npaths: {}\n");
    await syncProvider(dir, { from, today: "2026-12-03" });
    const source = await readFile(join(dir, "source.yaml"), "utf8");
    expect(parse(source).files[0]).toMatchObject({ format: "yaml", version: "7", taken: "2026-12-03" });
    expect(source).toContain("# Where FastRouter's generation-lookup description comes from.");
  });

  it("stores upstream byte for byte (one-line JSON too), so a re-sync tells unchanged from re-formatted", async () => {
    const { dir, from } = await fixture();
    const json = '{"openapi":"3.0.0","info":{"title":"t","version":"0.243.1"},"paths":{}}';
    await writeFile(join(from, "fastrouter", "api.json"), json);
    await syncProvider(dir, { from, urls: ["https://acme.test/spec/api.json"], today: "2026-12-04" });
    expect(await readFile(join(dir, "upstream", "api.json"), "utf8")).toBe(json);
    const [file] = parse(await readFile(join(dir, "source.yaml"), "utf8")).files;
    expect(file).toMatchObject({ format: "json", version: "0.243.1", sha256: sha256(json) });
    expect(file).not.toHaveProperty("stored");
    expect((await syncProvider(dir, { from, urls: ["https://acme.test/spec/api.json"] })).changed).toEqual([]);
    // The same document re-formatted upstream is a change.
    await writeFile(join(from, "fastrouter", "api.json"), `${JSON.stringify(JSON.parse(json), null, 2)}\n`);
    expect((await syncProvider(dir, { from, urls: ["https://acme.test/spec/api.json"] })).changed).toEqual([
      "upstream/api.json",
    ]);
    await rm(join(dir, "overlay.yaml"));
    await buildProvider(dir); // the stored bytes pass the build's hash check
  });

  it("records what identifies the revision taken: ETag, Last-Modified, a commit the URL pins", async () => {
    const { createServer } = await import("node:http");
    const json = '{"openapi":"3.0.0","info":{"title":"t","version":"2"},"paths":{}}';
    const server = createServer((_req, res) => {
      res.writeHead(200, { etag: '"abc123"', "last-modified": "Tue, 01 Dec 2026 10:00:00 GMT" }).end(json);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { dir } = await fixture();
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      await syncProvider(dir, { from: base, urls: ["https://acme.test/spec/api.json"], today: "2026-12-05" });
      const [file] = parse(await readFile(join(dir, "source.yaml"), "utf8")).files;
      expect(file.revision).toEqual({ etag: '"abc123"', last_modified: "Tue, 01 Dec 2026 10:00:00 GMT" });
    } finally {
      server.close();
    }
    expect(
      commitOf(
        "https://raw.githubusercontent.com/OpenRouterTeam/typescript-sdk/cb9393a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6/.speakeasy/in.openapi.yaml",
      ),
    ).toEqual({ commit: "cb9393a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6" });
    expect(commitOf("https://hub.oxen.ai/api/_spec/oxen_hub_api.json")).toEqual({});
  });

  it("says what to do when a file is missing in --from", async () => {
    const { dir, from } = await fixture();
    await expect(syncProvider(dir, { from })).rejects.toThrowError(
      /if upstream renamed or moved the file, pass its new address with --url/,
    );
  });

  it("takes from a URL, and names the URL and status when it fails", async () => {
    const { dir } = await fixture();
    const server: Server = createServer((req, res) => {
      if (req.url === "/fastrouter/get-generation-details.md") res.end("new page\n");
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await syncProvider(dir, { from: base })).changed).toEqual(["upstream/get-generation-details.md"]);
      expect(await readFile(join(dir, "upstream", "get-generation-details.md"), "utf8")).toBe("new page\n");
      await expect(syncProvider(dir, { from: `${base}/nowhere` })).rejects.toSatisfy(
        (e: unknown) =>
          e instanceof SpecError &&
          /cannot take http:\/\/127\.0\.0\.1:\d+\/nowhere\/fastrouter\/get-generation-details\.md: HTTP 404/.test(
            e.message,
          ),
      );
    } finally {
      server.close();
    }
  });
});

describe("the whole bump: specs:sync → specs:build → generate → specs:diff", () => {
  it("turns a FastRouter page that renamed a field into one readable, idempotent changeset with its knock-ons", async () => {
    const root = join(work, "repo");
    await cp(join(fixtures, "fastrouter"), join(root, "specs", "fastrouter"), { recursive: true });
    await cp(join(fixtures, "oxen"), join(root, "specs", "oxen"), { recursive: true });
    await mkdir(join(root, ".changeset"));
    const pkg = async (dir: string, json: object) => {
      await mkdir(join(root, "packages", dir, "src"), { recursive: true });
      await writeFile(join(root, "packages", dir, "package.json"), JSON.stringify(json));
    };
    await pkg("fastrouter", { name: "@genledger/fastrouter", version: "0.1.0" });
    await pkg("oxen", { name: "@genledger/oxen", version: "0.1.0" });
    await pkg("testing", {
      name: "@genledger/testing",
      version: "0.1.0",
      dependencies: { "@genledger/fastrouter": "workspace:^" },
    });
    await pkg("cli", { name: "@genledger/cli", version: "0.1.0", dependencies: { "@genledger/oxen": "workspace:^" } });
    await writeFile(join(root, "packages", "testing", "src", "fixtures.ts"), "export const credits_used = 1;\n");
    await writeFile(join(root, "packages", "cli", "src", "cli.ts"), "export {};\n");
    await cp(join(repoRoot, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
    await writeFile(join(root, "package.json"), '{ "type": "module" }\n');
    const pnpm = (...args: string[]) => run("pnpm", ["-s", ...args, "--root", root], { cwd: repoRoot });
    await pnpm("generate");
    // A consumer written against 0.1.0.
    await mkdir(join(root, "scripts", "compat", "fastrouter"), { recursive: true });
    await writeFile(
      join(root, "scripts", "compat", "fastrouter", "v0.1.0.ts"),
      'import type { paths } from "../../../packages/fastrouter/src/generated/openapi.js";\n' +
        'type Body = paths["/api/v1/generation"]["post"]["responses"]["200"]["content"]["application/json"];\n' +
        "export const credits = (b: Body): number | undefined => b.credits_used;\n",
    );
    const git = (...args: string[]) => run("git", args, { cwd: root });
    await git("init", "-q");
    await git("add", "-A");
    await git("-c", "user.email=ci@genledger.invalid", "-c", "user.name=ci", "commit", "-qm", "specs");

    // Upstream renamed credits_used to credits and added a field; the testing fixtures follow.
    const page = await readFile(join(fixtures, "fastrouter", "upstream", "get-generation-details.md"), "utf8");
    const from = join(work, "from");
    await mkdir(join(from, "fastrouter"), { recursive: true });
    await writeFile(
      join(from, "fastrouter", "get-generation-details.md"),
      page.replace('"credits_used":', '"credits":').replace('"is_byok":', '"cache_hit":{"type":"boolean"},"is_byok":'),
    );
    await writeFile(join(root, "packages", "testing", "src", "fixtures.ts"), "export const credits = 1;\n");
    await writeFile(join(root, "packages", "cli", "src", "cli.ts"), "export const x = 1;\n");

    expect((await pnpm("specs:sync", "--from", from, "fastrouter")).stdout).toContain(
      "fastrouter: took upstream/get-generation-details.md",
    );
    expect((await pnpm("specs:build")).stdout).toContain("fastrouter: wrote specs/fastrouter/openapi.yaml");
    await pnpm("generate");
    const diff = await pnpm("specs:diff");
    expect(diff.stdout).toContain("fastrouter: minor");
    expect(diff.stdout).toContain("oxen: no change");
    const files = await readdir(join(root, ".changeset"));
    expect(files).toHaveLength(1);
    const changeset = await readFile(join(root, ".changeset", files[0]!), "utf8");
    // Breaking under 0.x is a minor; testing's mock mirrors the gateway, so it moves with it;
    // the cli changed too but does not build on fastrouter: not named.
    expect(changeset).toMatch(/^---\n"@genledger\/fastrouter": minor\n"@genledger\/testing": minor\n---\n/);
    expect(changeset).toContain(
      "- `POST /api/v1/generation`: response field `credits_used` was removed; code reading it no longer type-checks and will see `undefined`.",
    );
    expect(changeset).toContain("new response fields, typed: `credits`, `cache_hit`.");
    expect(changeset).toMatch(
      /code written against the previous release no longer type-checks \(scripts\/compat\/fastrouter\/v0\.1\.0\.ts:3: /,
    );
    expect(changeset).toContain("Updated to match: `@genledger/testing` (src/fixtures.ts).");

    // Running it again rewrites the same file: no duplicate.
    await pnpm("specs:diff");
    expect(await readdir(join(root, ".changeset"))).toEqual(files);
    expect(await readFile(join(root, ".changeset", files[0]!), "utf8")).toBe(changeset);

    // Committed, the consumer stays broken; a later description-only change is a fix, not that breakage again.
    await git("add", "-A");
    await git("-c", "user.email=ci@genledger.invalid", "-c", "user.name=ci", "commit", "-qm", "bump");
    const spec = join(root, "specs", "fastrouter", "openapi.yaml");
    const yaml = await readFile(spec, "utf8");
    await writeFile(spec, yaml.replace(/description: ([^\n]*)/, "description: $1 (reworded)"));
    const again = await pnpm("specs:diff");
    expect(again.stdout).toMatch(/fastrouter: patch \(1 change\)/);
    expect(again.stdout).not.toContain("no longer type-checks");

    // A consumer the environment cannot resolve stops specs:diff with a clear message, writing nothing.
    await writeFile(
      join(root, "scripts", "compat", "fastrouter", "v0.2.0.ts"),
      'import { x } from "@genledger/nowhere";\nexport const y = x;\n',
    );
    const before = await readdir(join(root, ".changeset"));
    const failed = await pnpm("specs:diff").catch((e: { stderr: string }) => e);
    expect((failed as { stderr: string }).stderr).toContain("the compatibility consumers cannot be checked here");
    expect((failed as { stderr: string }).stderr).toContain("No changeset was written");
    expect(await readdir(join(root, ".changeset"))).toEqual(before);
  });
});

describe("changesets and biome", () => {
  it("leaves changeset files alone when the repo is formatted (front matter stays front matter)", async () => {
    const root = join(work, "fmt");
    await mkdir(join(root, ".changeset"), { recursive: true });
    await cp(join(repoRoot, "biome.json"), join(root, "biome.json"));
    const text = '---\n"@genledger/oxen": minor\n---\n\n**Breaking — what to do:**\n\n- `GET /x`: moved.  \n';
    await writeFile(join(root, ".changeset", "oxen-spec-0123abcd.md"), text);
    await writeFile(join(root, "a.ts"), "const a = {b:1}\n");
    const biome = join(repoRoot, "node_modules", ".bin", "biome");
    await run(biome, ["format", "--write", "."], { cwd: root });
    expect(await readFile(join(root, "a.ts"), "utf8")).toBe("const a = { b: 1 };\n"); // the formatter did run
    expect(await readFile(join(root, ".changeset", "oxen-spec-0123abcd.md"), "utf8")).toBe(text);
  });
});

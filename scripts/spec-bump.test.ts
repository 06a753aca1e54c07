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
import { bumpFor, changesetFor, diffSpecs } from "./lib/diff.js";
import { repoRoot, SpecError, sha256, specsDir } from "./lib/specs.js";
import { syncProvider } from "./lib/sync.js";

const run = promisify(execFile);
type Doc = Record<string, any>;

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "genledger-bump-"));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const spec = async (provider: string) => parse(await readFile(join(specsDir, provider, "openapi.yaml"), "utf8")) as Doc;

describe("diffSpecs", () => {
  it("finds nothing between a document and itself", async () => {
    const doc = await spec("oxen");
    expect(diffSpecs(doc, structuredClone(doc))).toEqual([]);
    expect(bumpFor([])).toBeUndefined();
  });

  it("calls a removed operation breaking and an added one a feature", async () => {
    const before = await spec("zenmux");
    const after = structuredClone(before);
    after.paths["/management/generation"] = after.paths["/generation"];
    delete after.paths["/generation"];
    const changes = diffSpecs(before, after);
    expect(changes).toEqual([
      { kind: "breaking", summary: "removed operation GET /generation" },
      { kind: "feature", summary: "added operation GET /management/generation" },
    ]);
    expect(bumpFor(changes)).toBe("major");
  });

  it("calls a removed or widened response field breaking", async () => {
    const before = await spec("openrouter");
    const after = structuredClone(before);
    const data = after.components.schemas.GenerationGetResponsesContentApplicationJsonSchemaData;
    delete data.properties.usage;
    data.properties.total_cost = { type: ["number", "null"] };
    expect(diffSpecs(before, after)).toEqual([
      { kind: "breaking", summary: "GET /generation: removed response field `data.usage`" },
      {
        kind: "breaking",
        summary: "GET /generation: response field `data.total_cost` changed from number to null|number",
      },
    ]);
  });

  it("calls an added or narrowed response field a feature", async () => {
    const before = await spec("openrouter");
    const after = structuredClone(before);
    const data = after.components.schemas.GenerationGetResponsesContentApplicationJsonSchemaData;
    data.properties.router = { type: ["string", "null"] };
    data.required.push("latency");
    const changes = diffSpecs(before, after);
    expect(changes).toEqual([
      {
        kind: "feature",
        summary: "GET /generation: response field `data.latency` changed from null|number|optional to null|number",
      },
      { kind: "feature", summary: "GET /generation: added response field `data.router` (null|string|optional)" },
    ]);
    expect(bumpFor(changes)).toBe("minor");
  });

  it("calls a newly required input breaking and an optional one a feature", async () => {
    const before = await spec("oxen");
    const after = structuredClone(before);
    const list = after.paths["/api/ai/generations"].get;
    list.parameters.find((p: Doc) => p.name === "namespace").required = true;
    list.parameters.push({ name: "user", in: "query", schema: { type: "string" } });
    after.paths["/api/v1/generation"] = undefined;
    const fr = await spec("fastrouter");
    const frAfter = structuredClone(fr);
    const body = frAfter.paths["/api/v1/generation"].post.requestBody.content["application/json"].schema;
    body.properties.project = { type: "string" };
    body.required.push("project");
    expect(diffSpecs(before, after)).toEqual([
      { kind: "breaking", summary: "GET /api/ai/generations: query parameter `namespace` is now required" },
      { kind: "feature", summary: "GET /api/ai/generations: added optional query parameter `user`" },
    ]);
    expect(diffSpecs(fr, frAfter)).toEqual([
      { kind: "breaking", summary: "POST /api/v1/generation: body field `project` is newly required" },
    ]);
  });

  it("calls a description-only change a fix", async () => {
    const before = await spec("fastrouter");
    const after = structuredClone(before);
    after.paths["/api/v1/generation"].post.description = "Reworded.";
    expect(diffSpecs(before, after)).toEqual([
      { kind: "fix", summary: "descriptions and other documentation changed" },
    ]);
  });

  it("writes a changeset with the bump and the changes, breaking first", () => {
    const text = changesetFor("@genledger/oxen", "Oxen changed:", [
      { kind: "feature", summary: "added x" },
      { kind: "breaking", summary: "removed y" },
    ]);
    expect(text).toBe(
      '---\n"@genledger/oxen": major\n---\n\nOxen changed:\n\n- breaking: removed y\n- feature: added x\n',
    );
  });
});

describe("syncProvider", () => {
  async function fixture() {
    const dir = join(work, "specs", "fastrouter");
    await cp(join(specsDir, "fastrouter"), dir, { recursive: true });
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

describe("the whole bump: specs:sync → specs:build → specs:diff", () => {
  it("turns a FastRouter page that dropped a field into a major changeset", async () => {
    const root = join(work, "repo");
    await cp(specsDir, join(root, "specs"), { recursive: true });
    await mkdir(join(root, ".changeset"));
    const git = (...args: string[]) => run("git", args, { cwd: root });
    await git("init", "-q");
    await git("-c", "user.email=ci@genledger.invalid", "-c", "user.name=ci", "commit", "-qm", "specs", "--allow-empty");
    await git("add", "-A");
    await git("-c", "user.email=ci@genledger.invalid", "-c", "user.name=ci", "commit", "-qm", "specs");

    // Upstream renamed credits_used to credits and added a field.
    const page = await readFile(join(specsDir, "fastrouter", "upstream", "get-generation-details.md"), "utf8");
    const from = join(work, "from");
    await mkdir(join(from, "fastrouter"), { recursive: true });
    await writeFile(
      join(from, "fastrouter", "get-generation-details.md"),
      page.replace('"credits_used":', '"credits":').replace('"is_byok":', '"cache_hit":{"type":"boolean"},"is_byok":'),
    );

    const pnpm = (...args: string[]) => run("pnpm", ["-s", ...args, "--root", root], { cwd: repoRoot });
    expect((await pnpm("specs:sync", "--from", from, "fastrouter")).stdout).toContain(
      "fastrouter: took upstream/get-generation-details.md",
    );
    expect((await pnpm("specs:build")).stdout).toContain("fastrouter: wrote specs/fastrouter/openapi.yaml");
    const diff = await pnpm("specs:diff");
    expect(diff.stdout).toContain("fastrouter: major");
    expect(diff.stdout).toContain("oxen: no change");
    const [file] = (await readdir(join(root, ".changeset"))).filter((f) => f.startsWith("fastrouter-spec-"));
    const changeset = await readFile(join(root, ".changeset", file!), "utf8");
    expect(changeset).toMatch(/^---\n"@genledger\/fastrouter": major\n---\n/);
    expect(changeset).toContain("- breaking: POST /api/v1/generation: removed response field `credits_used`");
    expect(changeset).toContain("- feature: POST /api/v1/generation: added response field `credits` (number|optional)");
    expect(changeset).toContain(
      "- feature: POST /api/v1/generation: added response field `cache_hit` (boolean|optional)",
    );
  }, 60_000);
});

import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  applyOverlay,
  buildProvider,
  extractOpenApi,
  listProviders,
  mergeFragments,
  repoRoot,
  SpecError,
  sha256,
  specsDir,
} from "./lib/specs.js";

// The pipeline's own fixtures: frozen copies of the seed specs, so that spec bumps do not move them.
const fixtures = join(repoRoot, "scripts", "__fixtures__", "specs");
const upstream = (provider: string, file: string) => readFile(join(fixtures, provider, "upstream", file), "utf8");
type Doc = Record<string, any>;

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "genledger-specs-"));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function copySpecs(provider: string): Promise<string> {
  const dir = join(work, provider);
  await cp(join(fixtures, provider), dir, { recursive: true });
  return dir;
}

describe("extractOpenApi", () => {
  it("reads OpenRouter's fenced ```yaml block", async () => {
    const doc = extractOpenApi(await upstream("openrouter", "get-a-generation.md"), "markdown", "or.md");
    expect(doc.openapi).toBe("3.1.1");
    expect(Object.keys(doc.paths as Doc)).toEqual(["/generation"]);
  });

  it("reads Oxen's fenced ````yaml block (four backticks)", async () => {
    const doc = extractOpenApi(await upstream("oxen", "list-past-generations.md"), "markdown", "oxen.md");
    expect(doc.openapi).toBe("3.0.0");
    expect(Object.keys(doc.paths as Doc)).toEqual(["/api/ai/generations"]);
  });

  it("reads FastRouter's fenced ```json block", async () => {
    const doc = extractOpenApi(await upstream("fastrouter", "get-generation-details.md"), "markdown", "fr.md");
    expect((doc.paths as Doc)["/api/v1/generation"].post.operationId).toBe("getGenerationDetails");
  });

  it("reads whole YAML and JSON files", () => {
    const yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";
    expect(extractOpenApi(yaml, "yaml", "a.yaml").openapi).toBe("3.1.0");
    expect(extractOpenApi('{"openapi":"3.0.3","paths":{}}', "json", "a.json").openapi).toBe("3.0.3");
  });

  it("skips fenced code that is not an OpenAPI document", () => {
    const page = '```json\n{"id": 1}\n```\n\n```yaml\nopenapi: 3.1.0\npaths: {}\n```\n';
    expect(extractOpenApi(page, "markdown", "p.md").openapi).toBe("3.1.0");
  });

  it("fails on a page without an OpenAPI block, naming the file", async () => {
    const page = await upstream("zenmux", "get-generation.md");
    expect(() => extractOpenApi(page, "markdown", "specs/zenmux/upstream/get-generation.md")).toThrowError(
      /specs\/zenmux\/upstream\/get-generation\.md: no OpenAPI document found/,
    );
  });

  it("fails on invalid YAML with the file and the line of the block", () => {
    const page = "# Title\n\n```yaml\nopenapi: 3.1.0\npaths:\n  /a: [unclosed\n```\n";
    expect(() => extractOpenApi(page, "markdown", "bad.md")).toThrowError(
      /bad\.md: the YAML block starting at line 4 does not parse/,
    );
  });

  it("fails on invalid JSON with the file", () => {
    const page = '```json\n{"openapi":"3.1.0","paths":{,}}\n```\n';
    expect(() => extractOpenApi(page, "markdown", "bad.md")).toThrowError(/bad\.md: the JSON block .* does not parse/);
    expect(() => extractOpenApi('{"openapi": "3.1.0"', "json", "whole.json")).toThrowError(/whole\.json: .*JSON/);
  });

  it("fails on a document without an openapi field", () => {
    expect(() => extractOpenApi("swagger: '2.0'\n", "yaml", "old.yaml")).toThrowError(/old\.yaml: .*'openapi'/);
  });
});

describe("mergeFragments", () => {
  it("unions paths and components of one API's pages", async () => {
    const docs = await Promise.all(
      ["get-generation-details.md", "list-past-generations.md"].map(async (f) => ({
        file: f,
        doc: extractOpenApi(await upstream("oxen", f), "markdown", f),
      })),
    );
    const merged = mergeFragments(docs) as Doc;
    expect(Object.keys(merged.paths).sort()).toEqual(["/api/ai/generations", "/api/ai/generations/{generation_id}"]);
    expect(Object.keys(merged.components.schemas).sort()).toEqual([
      "GenerationsListResponse",
      "GenerationsShowResponse",
    ]);
  });

  it("refuses a schema defined twice differently", () => {
    const a = { openapi: "3.0.0", paths: {}, components: { schemas: { X: { type: "string" } } } };
    const b = { openapi: "3.0.0", paths: {}, components: { schemas: { X: { type: "integer" } } } };
    expect(() =>
      mergeFragments([
        { file: "a.md", doc: a },
        { file: "b.md", doc: b },
      ]),
    ).toThrowError(/b\.md: components\.schemas: 'X' is defined twice, differently/);
  });
});

describe("applyOverlay", () => {
  const doc = { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: { "/a": { get: { tags: ["x"] } } } };

  it("applies update and remove actions", async () => {
    const overlay = `overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/a'].get.tags
    description: drop
    remove: true
  - target: $.info
    description: retitle
    update: {summary: s}
`;
    const out = (await applyOverlay(doc, overlay, "o.yaml")) as Doc;
    expect(out.paths["/a"].get.tags).toBeUndefined();
    expect(out.info.summary).toBe("s");
    expect((doc.paths["/a"].get as Doc).tags).toEqual(["x"]); // input untouched
  });

  it("fails when an action's target matches nothing, naming the file and the action", async () => {
    const overlay =
      "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/missing'].get\n    description: d\n    update: {summary: s}\n";
    await expect(applyOverlay(doc, overlay, "specs/x/overlay.yaml")).rejects.toThrowError(
      /specs\/x\/overlay\.yaml: 1 overlay action\(s\) failed:\n {2}action #1 target \$\.paths\['\/missing'\]\.get matches nothing/,
    );
  });

  it("reports every failing action in one run, and flags one whose change upstream already has", async () => {
    const overlay = `overlay: 1.0.0
info: {title: t, version: '1'}
actions:
  - target: $.paths['/gone'].get
    description: upstream renamed the path
    update: {summary: s}
  - target: $.info
    description: upstream now has this title itself
    update: {title: t}
  - target: $.info
    update: {summary: s}
  - target: $.info
    description: still needed
    update: {summary: s2}
`;
    const error = await applyOverlay(doc, overlay, "specs/x/overlay.yaml").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toBe(
      [
        "specs/x/overlay.yaml: 3 overlay action(s) failed:",
        "  action #1 target $.paths['/gone'].get matches nothing",
        "  action #2 target $.info changes nothing: upstream already has it; drop the action",
        "  action #3 (target $.info) has no description saying why it exists",
      ].join("\n"),
    );
  });

  it("requires a description on every action", async () => {
    const overlay =
      "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: {a: 1}\n";
    await expect(applyOverlay(doc, overlay, "o.yaml")).rejects.toThrowError(/action #1 .* has no description/);
  });

  it("rejects a document that is not an Overlay 1.0", async () => {
    await expect(applyOverlay(doc, "actions: []\n", "o.yaml")).rejects.toThrowError(/not an OpenAPI Overlay 1\.0/);
  });
});

describe("buildProvider", () => {
  it("fixes OpenRouter's defects through the overlay", async () => {
    await buildProvider(await copySpecs("openrouter"));
    const doc = parse(await readFile(join(work, "openrouter", "openapi.yaml"), "utf8")) as Doc;
    const op = doc.paths["/generation"].get;
    expect(op.parameters.map((p: Doc) => p.name)).toEqual(["id"]);
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.servers).toEqual([{ url: "https://openrouter.ai/api/v1" }]);
    expect(op.tags).toEqual(["Generations"]);
  });

  it("merges Oxen's two pages into one document with optional bearer auth", async () => {
    await buildProvider(await copySpecs("oxen"));
    const doc = parse(await readFile(join(work, "oxen", "openapi.yaml"), "utf8")) as Doc;
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/ai/generations", "/api/ai/generations/{generation_id}"]);
    expect(doc.security).toEqual([{}, { bearerAuth: [] }]);
  });

  it("is idempotent", async () => {
    for (const provider of await listProviders(fixtures)) {
      const dir = await copySpecs(provider);
      expect((await buildProvider(dir)).changed, provider).toBe(false);
      expect((await buildProvider(dir)).changed).toBe(false);
    }
  });

  it("leaves every committed specs/*/openapi.yaml as it is (they are up to date)", async () => {
    for (const provider of await listProviders()) {
      const dir = join(work, "live", provider);
      await cp(join(specsDir, provider), dir, { recursive: true });
      expect((await buildProvider(dir)).changed, `${provider}: run pnpm specs:build`).toBe(false);
    }
  });

  it("validates the hand-authored ZenMux document and never rewrites it", async () => {
    const dir = await copySpecs("zenmux");
    const before = await readFile(join(dir, "openapi.yaml"), "utf8");
    expect((await buildProvider(dir)).changed).toBe(false);
    expect(await readFile(join(dir, "openapi.yaml"), "utf8")).toBe(before);
    const doc = parse(before) as Doc;
    expect(doc.paths["/generation"].get.parameters[0]).toMatchObject({ name: "id", in: "query", required: true });
  });

  it("refuses a hand-written spec whose page changed until the new hash is confirmed", async () => {
    const dir = await copySpecs("zenmux");
    const page = join(dir, "upstream", "get-generation.md");
    const text = `${await readFile(page, "utf8")}\nThe endpoint moved to /api/v1/management/generation.\n`;
    await writeFile(page, text);
    const source = join(dir, "source.yaml");
    await writeFile(source, (await readFile(source, "utf8")).replace(/(\n {4}sha256:) \w+/, `$1 ${sha256(text)}`));
    await expect(buildProvider(dir)).rejects.toThrowError(
      /openapi\.yaml is hand-written from upstream\/get-generation\.md, which changed[\s\S]*pnpm specs:build --confirm zenmux/,
    );
    await buildProvider(dir, { confirm: true });
    expect(parse(await readFile(source, "utf8")).written_from).toEqual({ "upstream/get-generation.md": sha256(text) });
    expect((await buildProvider(dir)).changed).toBe(false);
  });

  it("compiles only the paths under 'include', with the components they reach", async () => {
    const dir = join(work, "acme");
    await mkdir(join(dir, "upstream"), { recursive: true });
    const spec = JSON.stringify({
      openapi: "3.0.0",
      info: { title: "a", version: "2.1.0" },
      paths: {
        "/api/ai/generations": { get: { responses: { "200": { $ref: "#/components/responses/List" } } } },
        "/api/ai/queue/{id}": {
          get: {
            parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Job" } } },
              },
            },
          },
        },
        "/api/repos": {
          get: {
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Repo" } } },
              },
            },
          },
        },
      },
      components: {
        responses: {
          List: {
            description: "ok",
            content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Job" } } } },
          },
        },
        schemas: {
          Job: { type: "object", properties: { owner: { $ref: "#/components/schemas/User" } } },
          User: { type: "object" },
          Repo: { type: "object", properties: { owner: { $ref: "#/components/schemas/User" } } },
        },
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
    });
    await writeFile(join(dir, "upstream", "api.json"), spec);
    await writeFile(
      join(dir, "source.yaml"),
      `provider: acme\npackage: "@genledger/acme"\nopenapi: extracted\ninclude: [/api/ai/generations, /api/ai/queue]\nfiles:\n  - path: upstream/api.json\n    url: https://acme.test/api.json\n    format: json\n    taken: 2026-01-01\n    sha256: ${sha256(spec)}\n`,
    );
    await buildProvider(dir);
    const text = await readFile(join(dir, "openapi.yaml"), "utf8");
    const doc = parse(text) as Doc;
    expect(Object.keys(doc.paths)).toEqual(["/api/ai/generations", "/api/ai/queue/{id}"]);
    expect(Object.keys(doc.components.schemas)).toEqual(["Job", "User"]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(["bearer"]);
    expect(text).toContain("# keeping only the paths under /api/ai/generations, /api/ai/queue (source.yaml 'include')");
  });

  it("fails when the built document is not valid OpenAPI", async () => {
    const dir = await copySpecs("openrouter");
    await rm(join(dir, "overlay.yaml")); // without the overlay, `tags: [[]]` stays
    await expect(buildProvider(dir)).rejects.toThrowError(/openapi\.yaml: not a valid OpenAPI document/);
  });

  it("fails when an upstream file was edited by hand", async () => {
    const dir = await copySpecs("fastrouter");
    await writeFile(join(dir, "upstream", "get-generation-details.md"), "edited\n");
    await expect(buildProvider(dir)).rejects.toThrowError(
      /get-generation-details\.md: sha256 .* differs from source\.yaml/,
    );
  });

  it("fails with the page's name when the page has no OpenAPI block", async () => {
    const dir = await copySpecs("fastrouter");
    const page = join(dir, "upstream", "get-generation-details.md");
    const text = "# Generations\n\nNo spec here.\n";
    await writeFile(page, text);
    const source = await readFile(join(dir, "source.yaml"), "utf8");
    await writeFile(join(dir, "source.yaml"), source.replace(/sha256: \w+/, `sha256: ${sha256(text)}`));
    await expect(buildProvider(dir)).rejects.toSatisfy(
      (e: unknown) => e instanceof SpecError && /get-generation-details\.md: no OpenAPI document found/.test(e.message),
    );
  });
});

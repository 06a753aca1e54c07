// The classifier on a table of spec changes: each row edits a small spec the way upstreams do and
// names the level a user of the generated package would need.
import { describe, expect, it } from "vitest";
import { type Change, changesetFile, describeChanges, diffSpecs, levelFor } from "./diff.js";

type Doc = Record<string, any>;

const base = (): Doc => ({
  openapi: "3.1.0",
  info: { title: "Acme", version: "1" },
  servers: [{ url: "https://api.acme.test/v1" }],
  paths: {
    "/generation": {
      get: {
        operationId: "getGeneration",
        description: "Look one up.",
        parameters: [
          { name: "id", in: "query", required: true, schema: { type: "string" } },
          { name: "kind", in: "query", schema: { type: "string", enum: ["chat", "image", "video"] } },
        ],
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Generation" } } },
          },
          default: {
            description: "error",
            content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Generation: {
        type: "object",
        additionalProperties: true,
        required: ["id"],
        properties: { id: { type: "string" }, total_cost: { type: "number" }, model: { type: "string" } },
      },
      ErrorResponse: {
        type: "object",
        required: ["error"],
        properties: {
          error: { type: "object", properties: { code: { type: "integer" }, message: { type: "string" } } },
        },
      },
    },
  },
});

const op = (d: Doc) => d.paths["/generation"].get;
const gen = (d: Doc) => d.components.schemas.Generation;

const table: { change: string; edit: (d: Doc) => void; level: "breaking" | "feature" | "fix"; says: RegExp }[] = [
  {
    change: "removed additionalProperties on a response object",
    edit: (d) => delete gen(d).additionalProperties,
    level: "breaking",
    says: /no longer allows undocumented keys/,
  },
  {
    change: "renamed schema (renames an exported type)",
    edit: (d) => {
      d.components.schemas.GenerationData = gen(d);
      delete d.components.schemas.Generation;
      op(d).responses["200"].content["application/json"].schema.$ref = "#/components/schemas/GenerationData";
    },
    level: "breaking",
    says: /`components\["schemas"\]\["Generation"\]` was renamed to `components\["schemas"\]\["GenerationData"\]`/,
  },
  {
    change: "renamed operationId (renames operations[...])",
    edit: (d) => {
      op(d).operationId = "get-a-generation";
    },
    level: "breaking",
    says: /operationId was renamed from `getGeneration` to `get-a-generation`/,
  },
  {
    change: "changed error envelope",
    edit: (d) => {
      d.components.schemas.ErrorResponse = {
        type: "object",
        properties: { status: { type: "string" }, status_message: { type: "string" } },
      };
    },
    level: "breaking",
    says: /the error body changed: field `error` is gone/,
  },
  {
    change: "error code retyped from number to string",
    edit: (d) => {
      d.components.schemas.ErrorResponse.properties.error.properties.code = { type: "string" };
    },
    level: "breaking",
    says: /error response field `error.code` may now be string/,
  },
  {
    change: "narrowed input enum",
    edit: (d) => {
      op(d).parameters[1].schema.enum = ["chat", "image"];
    },
    level: "breaking",
    says: /query parameter `kind` no longer accepts "video"/,
  },
  {
    change: "moved servers URL",
    edit: (d) => {
      d.servers = [{ url: "https://acme.test/api/v2" }];
    },
    level: "breaking",
    says: /moved from https:\/\/api\.acme\.test\/v1 to https:\/\/acme\.test\/api\/v2/,
  },
  {
    change: "path key renamed",
    edit: (d) => {
      d.paths["/management/generation"] = d.paths["/generation"];
      delete d.paths["/generation"];
    },
    level: "breaking",
    says: /moved to `GET \/management\/generation`/,
  },
  {
    change: "removed operation",
    edit: (d) => {
      delete d.paths["/generation"];
    },
    level: "breaking",
    says: /removed: `\/generation` no longer exists/,
  },
  {
    change: "removed response field",
    edit: (d) => delete gen(d).properties.total_cost,
    level: "breaking",
    says: /response field `total_cost` was removed/,
  },
  {
    change: "response field widened to null",
    edit: (d) => {
      gen(d).properties.total_cost = { type: ["number", "null"] };
    },
    level: "breaking",
    says: /`total_cost` may now be null/,
  },
  {
    change: "input newly required",
    edit: (d) => {
      op(d).parameters[1].required = true;
    },
    level: "breaking",
    says: /query parameter `kind` is now required/,
  },
  {
    change: "new optional response field",
    edit: (d) => {
      gen(d).properties.router = { type: ["string", "null"] };
    },
    level: "feature",
    says: /new response field, typed: `router`/,
  },
  {
    change: "added operation",
    edit: (d) => {
      d.paths["/queue"] = { get: { operationId: "listQueue", responses: { "200": { description: "ok" } } } };
    },
    level: "feature",
    says: /new operation/,
  },
  {
    change: "widened input enum",
    edit: (d) => {
      op(d).parameters[1].schema.enum.push("audio");
    },
    level: "feature",
    says: /now also accepts "audio"/,
  },
  {
    change: "new optional input",
    edit: (d) => {
      op(d).parameters.push({ name: "user", in: "query", schema: { type: "string" } });
    },
    level: "feature",
    says: /new optional query parameter `user`/,
  },
  {
    change: "description only",
    edit: (d) => {
      op(d).description = "Reworded.";
    },
    level: "fix",
    says: /documentation changed/,
  },
];

describe("diffSpecs on a table of spec changes", () => {
  it.each(table)("$change → $level", ({ edit, level, says }) => {
    const after = base();
    edit(after);
    const changes = diffSpecs(base(), after);
    const worst = changes.some((c) => c.kind === "breaking")
      ? "breaking"
      : changes.some((c) => c.kind === "feature")
        ? "feature"
        : "fix";
    expect(worst).toBe(level);
    expect(changes.map((c) => c.summary).join("\n")).toMatch(says);
  });

  it("finds nothing between a document and itself", () => {
    expect(diffSpecs(base(), base())).toEqual([]);
    expect(levelFor([])).toBeUndefined();
  });

  it("reports a moved path once, not as a removal plus an addition", () => {
    const after = base();
    after.paths["/management/generation"] = after.paths["/generation"];
    delete after.paths["/generation"];
    expect(diffSpecs(base(), after)).toEqual([
      {
        kind: "breaking",
        where: "GET /generation",
        summary: expect.stringMatching(/^moved to `GET \/management\/generation`/),
      },
    ]);
  });
});

describe("levelFor: the versioning policy", () => {
  const breaking: Change = { kind: "breaking", where: "x", summary: "s" };
  const feature: Change = { kind: "feature", where: "x", summary: "s" };
  const fix: Change = { kind: "fix", where: "x", summary: "s" };
  it("under 0.x: breaking is minor (0.1 → 0.2), features and fixes are patches", () => {
    expect(levelFor([feature, breaking], "0.1.0")).toBe("minor");
    expect(levelFor([feature, fix], "0.1.0")).toBe("patch");
    expect(levelFor([fix], "0.3.2")).toBe("patch");
  });
  it("from 1.0: major, minor, patch", () => {
    expect(levelFor([feature, breaking], "1.2.0")).toBe("major");
    expect(levelFor([feature, fix], "1.2.0")).toBe("minor");
    expect(levelFor([fix], "2.0.0")).toBe("patch");
  });
});

describe("changeset text", () => {
  it("groups by kind and place, breaking first, in sentences", () => {
    const after = base();
    gen(after).properties.router = { type: "string" };
    gen(after).properties.service_tier = { type: "string" };
    delete gen(after).properties.model;
    after.servers = [{ url: "https://acme.test/v2" }];
    const body = describeChanges("Acme changed.", diffSpecs(base(), after));
    expect(body).toBe(
      [
        "Acme changed.",
        "",
        "**Breaking — what to do:**",
        "",
        "- Server: the API moved from https://api.acme.test/v1 to https://acme.test/v2; if you pass `baseUrl` (or set the _BASE_URL variable), point it at the new address.",
        "- `GET /generation`: response field `model` was removed; code reading it no longer type-checks and will see `undefined`.",
        "",
        "**New:**",
        "",
        "- `GET /generation`: new response fields, typed: `router`, `service_tier`.",
        "",
      ].join("\n"),
    );
    expect(changesetFile({ "@genledger/acme": "minor", "@genledger/testing": "patch" }, body)).toMatch(
      /^---\n"@genledger\/acme": minor\n"@genledger\/testing": patch\n---\n\nAcme changed\.\n/,
    );
  });
});

import { defineGateway, type FieldPath } from "@genledger/core/internal";
import { describe, expectTypeOf, it } from "vitest";

interface Paths {
  "/generation": {
    get: {
      parameters: { query: { id: string } };
      responses: { 200: { content: { "application/json": { data: { id: string; [key: string]: unknown } } } } };
    };
  };
}
const base = { provider: "acme", displayName: "Acme", envPrefix: "ACME", defaultBaseUrl: "https://acme.test" };
const parseError = () => undefined;

describe("defineGateway types", () => {
  it("reads the answer's declared fields only (an index signature does not admit a typo)", () => {
    expectTypeOf<FieldPath<{ data: { id: string; [key: string]: unknown } }>>().toEqualTypeOf<"data" | "data.id">();
  });

  it("checks the path, the parameters and the id field against the spec", () => {
    const ok = defineGateway<Paths>()({
      ...base,
      parseError,
      lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }), idAt: "data.id" },
    });
    expectTypeOf(ok.types).toEqualTypeOf<
      { body: { data: { id: string; [key: string]: unknown } }; paths: Paths } | undefined
    >();
    defineGateway<Paths>()({
      ...base,
      parseError,
      // @ts-expect-error a path the spec does not have
      lookup: { method: "get", path: "/generations", request: (id) => ({ query: { id } }), idAt: "data.id" },
    });
    defineGateway<Paths>()({
      ...base,
      parseError,
      // @ts-expect-error a query parameter the spec does not declare
      lookup: { method: "get", path: "/generation", request: (id) => ({ query: { idd: id } }), idAt: "data.id" },
    });
    defineGateway<Paths>()({
      ...base,
      parseError,
      // @ts-expect-error an id field the answer does not declare
      lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }), idAt: "data.idd" },
    });
  });

  it("checks the id one way or the other: an idAt, or a check of the gateway's own", () => {
    defineGateway<Paths>()({
      ...base,
      parseError,
      lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }), check: () => undefined },
    });
    defineGateway<Paths>()({
      ...base,
      parseError,
      // @ts-expect-error neither idAt nor check: the answer would never be checked to be the generation asked
      lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }) },
    });
  });
});

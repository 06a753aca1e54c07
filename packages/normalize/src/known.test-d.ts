import type { FastRouterGeneration } from "@genledger/fastrouter";
import type { OxenGeneration } from "@genledger/oxen";
import type { ZenMuxGeneration } from "@genledger/zenmux";
import { describe, expectTypeOf, it } from "vitest";
import { known } from "./convert.js";

// The generated types keep undocumented keys (`[key: string]: unknown`), so plain access to any
// name compiles; the mappers read through `known`, where a field the spec does not declare (say,
// upstream renamed `cost`) is a type error and fails the build.
describe("known", () => {
  it("types the declared fields of a generated body", () => {
    expectTypeOf(known<OxenGeneration>({}).cost).toEqualTypeOf<string | null | undefined>();
    expectTypeOf(known<ZenMuxGeneration>({}).generationId).toEqualTypeOf<string | undefined>();
    expectTypeOf(known<FastRouterGeneration>({}).credits_used).toEqualTypeOf<number | undefined>();
  });

  it("refuses a field the spec does not declare, although the raw type accepts it", () => {
    const raw = {} as OxenGeneration;
    expectTypeOf(raw.total_costs).toEqualTypeOf<unknown>();
    // @ts-expect-error `total_costs` is not a declared field
    known<OxenGeneration>(raw).total_costs;
    // @ts-expect-error `created_at` is not a declared ZenMux field (it is `createAt`)
    known<ZenMuxGeneration>({}).created_at;
  });
});

import { describe, expectTypeOf, it } from "vitest";
import type { OxenGeneration, OxenGenerationListQuery, OxenGenerationRow } from "./index.js";

describe("generated Oxen types", () => {
  it("types the list query's paging as numbers", () => {
    expectTypeOf<OxenGenerationListQuery["page_size"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<OxenGenerationListQuery["page"]>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error page_size is a number
    const wrong: OxenGenerationListQuery = { page_size: "50" };
    void wrong;
  });

  it("keeps cost a decimal string and status a closed union", () => {
    expectTypeOf<OxenGeneration["cost"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<OxenGenerationRow["status"]>().toEqualTypeOf<
      "queued" | "processing" | "succeeded" | "failed" | "cancelled"
    >();
  });
});

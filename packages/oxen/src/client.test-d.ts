import { describe, expectTypeOf, it } from "vitest";
import { createOxenClient, type OxenGenerationResponse, type OxenGenerationRow } from "./index.js";

describe("Oxen client types", () => {
  const client = createOxenClient();
  it("types lookups and iteration", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<OxenGenerationResponse>();
    expectTypeOf(client.iterateGenerations()).toEqualTypeOf<AsyncGenerator<OxenGenerationRow, void, undefined>>();
  });
  it("rejects wrong filters", () => {
    // @ts-expect-error page_size is a number
    void client.listGenerations({ page_size: "10" });
    // @ts-expect-error not a status
    void client.listGenerations({ status: "done" });
    // @ts-expect-error no such filter
    void client.listGenerations({ user: "x" });
  });
});

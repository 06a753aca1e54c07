import { describe, expectTypeOf, it } from "vitest";
import {
  createOxenClient,
  createOxenQueueClient,
  type OxenGenerationResponse,
  type OxenGenerationRow,
  type OxenQueueCancelled,
  type OxenQueueCreated,
  type OxenQueueItem,
  type OxenQueueList,
} from "./index.js";

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
  it("types the queue endpoints", () => {
    const client = createOxenQueueClient();
    expectTypeOf(client.enqueueGeneration).returns.resolves.toEqualTypeOf<OxenQueueCreated>();
    expectTypeOf(client.listQueue).returns.resolves.toEqualTypeOf<OxenQueueList>();
    expectTypeOf(client.getQueuedGeneration).returns.resolves.toEqualTypeOf<OxenQueueItem>();
    expectTypeOf(client.cancelGeneration).returns.resolves.toEqualTypeOf<OxenQueueCancelled>();
    expectTypeOf<OxenQueueItem["status"]>().toEqualTypeOf<
      "queued" | "processing" | "succeeded" | "failed" | "cancelled"
    >();
    // @ts-expect-error model and prompt are required
    void client.enqueueGeneration({ model: "flux-schnell" });
    // @ts-expect-error num_generations is a number
    void client.enqueueGeneration({ model: "m", prompt: "p", num_generations: "2" });
    // @ts-expect-error media_type is image or video
    void client.listQueue({ media_type: "audio" });
  });
  it("keeps the queue off the lookup client", () => {
    // @ts-expect-error the queue has its own client
    void client.enqueueGeneration;
  });
});

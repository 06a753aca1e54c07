import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchServer, gatewayNames, startBenchServer } from "./gateway-server.js";
import { variants } from "./lookups.js";

let server: BenchServer;
beforeAll(async () => {
  server = await startBenchServer();
});
afterAll(() => server.close());

/** Where each gateway's body holds the generation id. */
const idOf = {
  openrouter: (b: any) => b.data.id,
  zenmux: (b: any) => b.generationId,
  fastrouter: (b: any) => b.id,
  oxen: (b: any) => b.generation.generation_id,
};

describe("the throughput server", () => {
  for (const gateway of gatewayNames) {
    it(`answers ${gateway}'s own request with its recorded body and the id asked for`, async () => {
      const anchor = variants.find((v) => v.kind === "anchor" && v.gateway === gateway)!;
      const lookup = await anchor.make(server.baseUrls);
      const id = "gen-ü/?#%20x";
      const body = await lookup(id);
      expect(idOf[gateway](body)).toBe(id);
    });
  }

  it("serves OpenRouter's body at about 1 KB, every recorded field kept", async () => {
    const res = await fetch(`${server.baseUrls.openrouter}/generation?id=gen-1`, {
      headers: { authorization: "Bearer test-key-123" },
    });
    const text = await res.text();
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(text));
    expect(text.length).toBeGreaterThan(900);
    expect(text.length).toBeLessThan(1400);
    expect(JSON.parse(text).data).toMatchObject({ id: "gen-1", total_cost: 0.0015, provider_name: "Infermatic" });
  });

  it("refuses a request without a key, like the gateways", async () => {
    const res = await fetch(`${server.baseUrls.openrouter}/generation?id=gen-1`);
    expect(res.status).toBe(401);
  });

  it("gives @openrouter/sdk a body its response validation accepts", async () => {
    const sdk = variants.find((v) => v.name.startsWith("@openrouter/sdk"))!;
    const lookup = await sdk.make(server.baseUrls);
    await expect(lookup("gen-sdk-1")).resolves.toMatchObject({ data: { id: "gen-sdk-1" } });
  });
});

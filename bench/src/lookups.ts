// The variants the throughput benchmark compares: one generation lookup each, against the bench server.
import type { GatewayName } from "./gateway-server.js";

export type Lookup = (id: string) => Promise<unknown>;
export interface Variant {
  name: string;
  /** The anchor every other variant is divided by. */
  anchor?: boolean;
  make(baseUrls: Record<GatewayName, string>): Promise<Lookup>;
}

const apiKey = "bench-key-not-real";

export const variants: Variant[] = [
  {
    name: "bare fetch + JSON.parse",
    anchor: true,
    async make(base) {
      const headers = { authorization: `Bearer ${apiKey}` };
      return async (id) => {
        const res = await fetch(`${base.openrouter}/generation?id=${encodeURIComponent(id)}`, { headers });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return JSON.parse(await res.text());
      };
    },
  },
  {
    name: "bare openapi-fetch GET",
    async make(base) {
      const { default: createClient } = await import("openapi-fetch");
      const client = createClient<any>({ baseUrl: base.openrouter, headers: { authorization: `Bearer ${apiKey}` } });
      return async (id) => {
        const { data, error } = await client.GET("/generation", { params: { query: { id } } });
        if (error !== undefined) throw new Error("openapi-fetch: error body");
        return data;
      };
    },
  },
  {
    name: "genledger openrouter getGeneration",
    async make(base) {
      const { createOpenRouterClient } = await import("@genledger/openrouter");
      const client = createOpenRouterClient({ apiKey, baseUrl: base.openrouter });
      return (id) => client.getGeneration(id);
    },
  },
  {
    name: "genledger zenmux getGeneration",
    async make(base) {
      const { createZenMuxClient } = await import("@genledger/zenmux");
      const client = createZenMuxClient({ apiKey, baseUrl: base.zenmux });
      return (id) => client.getGeneration(id);
    },
  },
  {
    name: "genledger fastrouter getGeneration",
    async make(base) {
      const { createFastRouterClient } = await import("@genledger/fastrouter");
      const client = createFastRouterClient({ apiKey, baseUrl: base.fastrouter });
      return (id) => client.getGeneration(id);
    },
  },
  {
    name: "genledger oxen getGeneration",
    async make(base) {
      const { createOxenClient } = await import("@genledger/oxen");
      const client = createOxenClient({ apiKey, baseUrl: base.oxen });
      return (id) => client.getGeneration(id);
    },
  },
  {
    name: "@openrouter/sdk generations.getGeneration",
    async make(base) {
      const { OpenRouter } = await import("@openrouter/sdk");
      const sdk = new OpenRouter({ apiKey, serverURL: base.openrouter });
      return (id) => sdk.generations.getGeneration({ id });
    },
  },
];

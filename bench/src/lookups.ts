// The variants the throughput benchmark compares: one generation lookup each, against the bench server.
// Every gateway has its own anchor, a bare fetch + JSON.parse doing that gateway's request (FastRouter's is a POST).
import type { GatewayName } from "./gateway-server.js";

export type Lookup = (id: string) => Promise<unknown>;
export interface Variant {
  name: string;
  gateway: GatewayName;
  /** anchor: bare fetch of this gateway; genledger: held to the goal; reference: another library, for comparison. */
  kind: "anchor" | "genledger" | "reference";
  make(baseUrls: Record<GatewayName, string>): Promise<Lookup>;
}

const apiKey = "bench-key-not-real";
const authorization = `Bearer ${apiKey}`;

/** What a careful hand-written lookup does: one fetch, a status check, JSON.parse. */
const bareRequest: Record<GatewayName, (base: string, id: string) => [string, RequestInit]> = {
  openrouter: (base, id) => [`${base}/generation?id=${encodeURIComponent(id)}`, { headers: { authorization } }],
  zenmux: (base, id) => [`${base}/management/generation?id=${encodeURIComponent(id)}`, { headers: { authorization } }],
  fastrouter: (base, id) => [
    `${base}/api/v1/generation`,
    {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ generation_id: id }),
    },
  ],
  oxen: (base, id) => [`${base}/api/ai/generations/${encodeURIComponent(id)}`, { headers: { authorization } }],
};

const bare = (gateway: GatewayName): Variant => ({
  name: `bare fetch + JSON.parse: ${gateway}`,
  gateway,
  kind: "anchor",
  async make(base) {
    return async (id) => {
      const res = await fetch(...bareRequest[gateway](base[gateway], id));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return JSON.parse(await res.text());
    };
  },
});

export const variants: Variant[] = [
  bare("openrouter"),
  {
    // What any client whose timeouts really abort pays: Node's fetch follows a signal with a WeakRef, a
    // FinalizationRegistry entry and an abort listener per request.
    name: "bare fetch + JSON.parse with an AbortSignal and a timer: openrouter",
    gateway: "openrouter",
    kind: "reference",
    async make(base) {
      return async (id) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        try {
          const [url, init] = bareRequest.openrouter(base.openrouter, id);
          const res = await fetch(url, { ...init, signal: controller.signal });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return JSON.parse(await res.text());
        } finally {
          clearTimeout(timer);
        }
      };
    },
  },
  {
    name: "bare openapi-fetch GET: openrouter",
    gateway: "openrouter",
    kind: "reference",
    async make(base) {
      const { default: createClient } = await import("openapi-fetch");
      const client = createClient<any>({ baseUrl: base.openrouter, headers: { authorization } });
      return async (id) => {
        const { data, error } = await client.GET("/generation", { params: { query: { id } } });
        if (error !== undefined) throw new Error("openapi-fetch: error body");
        return data;
      };
    },
  },
  {
    name: "@openrouter/sdk generations.getGeneration",
    gateway: "openrouter",
    kind: "reference",
    async make(base) {
      const { OpenRouter } = await import("@openrouter/sdk");
      const sdk = new OpenRouter({ apiKey, serverURL: base.openrouter });
      return (id) => sdk.generations.getGeneration({ id });
    },
  },
  {
    name: "genledger getGeneration: openrouter",
    gateway: "openrouter",
    kind: "genledger",
    async make(base) {
      const { createOpenRouterClient } = await import("@genledger/openrouter");
      const client = createOpenRouterClient({ apiKey, baseUrl: base.openrouter });
      return (id) => client.getGeneration(id);
    },
  },
  bare("zenmux"),
  {
    name: "genledger getGeneration: zenmux",
    gateway: "zenmux",
    kind: "genledger",
    async make(base) {
      const { createZenMuxClient } = await import("@genledger/zenmux");
      const client = createZenMuxClient({ apiKey, baseUrl: base.zenmux });
      return (id) => client.getGeneration(id);
    },
  },
  bare("fastrouter"),
  {
    name: "genledger getGeneration: fastrouter",
    gateway: "fastrouter",
    kind: "genledger",
    async make(base) {
      const { createFastRouterClient } = await import("@genledger/fastrouter");
      const client = createFastRouterClient({ apiKey, baseUrl: base.fastrouter });
      return (id) => client.getGeneration(id);
    },
  },
  bare("oxen"),
  {
    name: "genledger getGeneration: oxen",
    gateway: "oxen",
    kind: "genledger",
    async make(base) {
      const { createOxenClient } = await import("@genledger/oxen");
      const client = createOxenClient({ apiKey, baseUrl: base.oxen });
      return (id) => client.getGeneration(id);
    },
  },
];

/** The anchor a variant is divided by: the bare fetch of its own gateway. */
export const anchorOf = (variant: Variant): Variant =>
  variants.find((v) => v.kind === "anchor" && v.gateway === variant.gateway)!;

// @genledger/normalize/oxen

import { ResponseParseError } from "@genledger/core";
import {
  createOxenClient,
  type OxenClient,
  type OxenClientOptions,
  type OxenGeneration,
  type OxenGenerationListQuery,
  type OxenGenerationResponse,
} from "@genledger/oxen";
import type { Adapter } from "./adapter.js";
import { int, isoFromUnixSeconds, obj, required, str } from "./convert.js";
import type { Generation, GenerationStatus } from "./generation.js";
import { known } from "./known.js";
import { toDecimal } from "./money.js";

declare module "./generation.js" {
  interface RawByProvider {
    oxen: OxenGeneration;
  }
}

const statuses: readonly GenerationStatus[] = ["queued", "processing", "succeeded", "failed", "cancelled"];
const inFlight = (s: GenerationStatus) => s === "queued" || s === "processing";

/**
 * An Oxen generation (a lookup body `{ generation }` or one list row) as a Generation. Pure: no I/O.
 * `cost` is a decimal string in Oxen credits (the Hub does not document a currency); `raw` is the row.
 */
export function fromOxen(body: OxenGenerationResponse | OxenGeneration): Generation<"oxen"> {
  const row = (obj(obj(body)?.generation) ?? obj(body) ?? {}) as OxenGeneration;
  const r = known<OxenGeneration>(row);
  const id = required("oxen", body, "generation_id", r.generation_id);
  const status = statuses.find((s) => s === r.status);
  if (!status) {
    throw new ResponseParseError(
      "oxen",
      `oxen: the generation's status ${JSON.stringify(r.status)} is not one of ${statuses.join(", ")}`,
      {
        bodySnippet: JSON.stringify(body)?.slice(0, 200),
      },
    );
  }
  const started = int(r.started_at);
  const completed = int(r.completed_at);
  const amount = toDecimal(r.cost);
  return {
    provider: "oxen",
    id,
    model: str(r.model_name),
    upstream: { provider: null, id: null },
    status,
    createdAt: isoFromUnixSeconds(r.enqueued_at),
    startedAt: isoFromUnixSeconds(started),
    completedAt: isoFromUnixSeconds(completed),
    timing: {
      timeToFirstTokenMs: null,
      generationMs: started !== null && completed !== null ? (completed - started) * 1000 : null,
    },
    usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, totalTokens: null },
    cost:
      amount === null
        ? null
        : { amount, currency: "credits", upstreamAmount: null, discountAmount: null, breakdown: null },
    billing: amount === null && inFlight(status) ? "pending" : "final",
    finishReason: null,
    nativeFinishReason: null,
    streamed: null,
    byok: null,
    error: str(r.error_message),
    raw: row,
  };
}

/** The ledger adapter, with the client it uses. */
export interface OxenAdapter extends Adapter<"oxen", OxenGenerationListQuery> {
  readonly client: OxenClient;
  list(
    query?: OxenGenerationListQuery,
    options?: { signal?: AbortSignal | undefined },
  ): AsyncIterable<Generation<"oxen">>;
}

/** The ledger adapter for Oxen.ai; same options as `createOxenClient`. The only one that can list. */
export function oxen(options: OxenClientOptions = {}): OxenAdapter {
  const client = createOxenClient(options);
  return {
    provider: "oxen",
    client,
    async get(id, init = {}) {
      return fromOxen(await client.getGeneration(id, { signal: init.signal }));
    },
    isReady: (g) => !inFlight(g.status),
    async *list(query: OxenGenerationListQuery = {}, init = {}) {
      for await (const row of client.iterateGenerations(query, { signal: init.signal })) yield fromOxen(row);
    },
  };
}

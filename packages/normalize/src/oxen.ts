// @genledger/normalize/oxen
import type { CallOptions } from "@genledger/core";
import {
  createOxenClient,
  type OxenClient,
  type OxenClientOptions,
  type OxenGeneration,
  type OxenGenerationListQuery,
  type OxenGenerationResponse,
} from "@genledger/oxen";
import { type Adapter, defineAdapter } from "./adapter.js";
import {
  cost,
  decimalAt,
  fail,
  generation,
  generationObject,
  isoFromUnixSeconds,
  known,
  ms,
  obj,
  required,
  str,
  timing,
} from "./convert.js";
import type { Generation, GenerationStatus } from "./generation.js";

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
  const b = generationObject("oxen", body);
  const row = (obj(b.generation) ?? b) as OxenGeneration;
  const r = known<OxenGeneration>(row);
  const id = required("oxen", body, "generation_id", r.generation_id);
  const status =
    statuses.find((s) => s === r.status) ??
    fail("oxen", body, `the generation's status ${JSON.stringify(r.status)} is not one of ${statuses.join(", ")}`);
  const startedAt = isoFromUnixSeconds(r.started_at);
  const completedAt = isoFromUnixSeconds(r.completed_at);
  const amount = decimalAt(r, "cost");
  return generation(
    "oxen",
    id,
    {
      model: str(r.model_name),
      status,
      createdAt: isoFromUnixSeconds(r.enqueued_at),
      startedAt,
      completedAt,
      // From the ISO strings, so it is null whenever either end is; a clock that ran backwards is null too.
      timing: timing(null, startedAt && completedAt ? ms(Date.parse(completedAt) - Date.parse(startedAt)) : null),
      cost: cost({ amount, currency: "credits" }),
      billing: amount === null && inFlight(status) ? "pending" : "final",
      error: str(r.error_message),
    },
    row,
  );
}

/** The ledger adapter, with the client it uses. */
export interface OxenAdapter extends Adapter<"oxen", OxenGenerationListQuery> {
  readonly client: OxenClient;
  list(query?: OxenGenerationListQuery, options?: CallOptions): AsyncIterable<Generation<"oxen">>;
}

/** The ledger adapter for Oxen.ai; same options as `createOxenClient`. The only one that can list. */
export const oxen: (options?: OxenClientOptions) => OxenAdapter = defineAdapter({
  provider: "oxen",
  client: createOxenClient,
  map: (body) => fromOxen(body),
  isReady: (g) => !inFlight(g.status),
  extend: (client) => ({
    async *list(query: OxenGenerationListQuery = {}, init: CallOptions = {}) {
      for await (const row of client.iterateGenerations(query, { signal: init.signal, deadline: init.deadline }))
        yield fromOxen(row);
    },
  }),
});

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
import * as convert from "./convert.js";
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
  const b = convert.generationObject("oxen", body);
  const row = (convert.obj(b.generation) ?? b) as OxenGeneration;
  const r = convert.known<OxenGeneration>(row);
  const id = convert.required("oxen", body, "generation_id", r.generation_id);
  const status =
    statuses.find((s) => s === r.status) ??
    convert.fail(
      "oxen",
      body,
      `the generation's status ${JSON.stringify(r.status)} is not one of ${statuses.join(", ")}`,
    );
  const startedAt = convert.isoFromUnixSeconds(r.started_at);
  const completedAt = convert.isoFromUnixSeconds(r.completed_at);
  const amount = convert.decimalAt(r, "cost");
  return convert.generation(
    "oxen",
    id,
    {
      model: convert.str(r.model_name),
      status,
      createdAt: convert.isoFromUnixSeconds(r.enqueued_at),
      startedAt,
      completedAt,
      // From the ISO strings, so it is null whenever either end is; a clock that ran backwards is null too.
      timing: convert.timing(
        null,
        startedAt && completedAt ? convert.ms(Date.parse(completedAt) - Date.parse(startedAt)) : null,
      ),
      cost: convert.cost({ amount, currency: "credits", basis: "billed" }),
      billing: amount === null && inFlight(status) ? "pending" : "final",
      error: convert.str(r.error_message),
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

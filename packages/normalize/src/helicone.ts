// @genledger/normalize/helicone
import {
  createHeliconeClient,
  type HeliconeClient,
  type HeliconeClientOptions,
  type HeliconeRequest,
  type HeliconeRequestResult,
  NotFoundError,
} from "@genledger/helicone";
import { type Adapter, defineAdapter } from "./adapter.js";
import * as convert from "./convert.js";
import type { Generation } from "./generation.js";

declare module "./generation.js" {
  interface RawByProvider {
    helicone: HeliconeRequestResult;
  }
}

/**
 * One logged Helicone request as a Generation. Pure: no I/O. `cost` is Helicone's figure from its price
 * table (`computed`), in USD, read digit for digit as sent (it is stored as an integer of 10^-9 dollars).
 */
export function fromHelicone(body: HeliconeRequestResult): Generation<"helicone"> {
  const d = convert.known<HeliconeRequest>(convert.obj(body)?.data);
  const status = typeof d.response_status === "number" ? d.response_status : null;
  // The worker writes -3 for a client that hung up, -2 for a timeout, -100 for another cut.
  const outcome =
    status === -3 ? "cancelled" : status !== null && (status < 0 || status >= 400) ? "failed" : "succeeded";
  const provider = convert.str(d.provider);
  return convert.generation(
    "helicone",
    convert.required("helicone", body, "data.request_id", d.request_id),
    {
      model: convert.str(d.response_model) ?? convert.str(d.model) ?? convert.str(d.request_model),
      upstream: { provider: provider?.toLowerCase() ?? null, id: convert.str(d.response_id) },
      status: outcome,
      createdAt: convert.isoFromString(d.request_created_at),
      startedAt: convert.isoFromString(d.request_created_at),
      completedAt: convert.isoFromString(d.response_created_at),
      timing: convert.timing(d.time_to_first_token, d.delay_ms),
      usage: convert.usage({
        inputTokens: convert.count(d.prompt_tokens),
        outputTokens: convert.count(d.completion_tokens),
        cachedInputTokens: convert.count(d.prompt_cache_read_tokens),
        totalTokens: convert.count(d.total_tokens) ?? undefined,
      }),
      cost: convert.cost({
        amount: convert.decimalAt(d, "cost") ?? convert.decimalAt(d, "costUSD"),
        currency: "USD",
        basis: "computed",
      }),
      error: outcome === "succeeded" ? null : `the upstream answered ${status}`,
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface HeliconeAdapter extends Adapter<"helicone"> {
  readonly client: HeliconeClient;
}

/** The ledger adapter for Helicone; same options as `createHeliconeClient`. */
export const helicone: (options?: HeliconeClientOptions) => HeliconeAdapter = defineAdapter({
  provider: "helicone",
  client: createHeliconeClient,
  map: fromHelicone,
  // Logged after the response: until then Helicone answers 500 { data: null, error }, read as NotFoundError.
  isNotReadyError: (error) => NotFoundError.isInstance(error),
});

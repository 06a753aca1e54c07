// @genledger/normalize/cloudflare
import {
  type CloudflareClient,
  type CloudflareClientOptions,
  type CloudflareLog,
  type CloudflareLogEnvelope,
  createCloudflareClient,
  NotFoundError,
} from "@genledger/cloudflare";
import { type Adapter, defineAdapter } from "./adapter.js";
import * as convert from "./convert.js";
import type { Generation } from "./generation.js";

declare module "./generation.js" {
  interface RawByProvider {
    cloudflare: CloudflareLogEnvelope;
  }
}

/**
 * One AI Gateway log as a Generation; `ref` is the `{account}/{gateway}/{log_id}` it was looked up by, the
 * record's id. Pure: no I/O. The cost is Cloudflare's estimate from its price table (`computed`), or from
 * the caller's `cf-aig-custom-cost` prices (`custom`), in USD, read digit for digit as sent.
 */
export function fromCloudflare(body: CloudflareLogEnvelope, ref: string): Generation<"cloudflare"> {
  const log = convert.known<CloudflareLog>(convert.generationObject("cloudflare", body).result);
  convert.required("cloudflare", body, "result.id", log.id);
  const status = typeof log.status_code === "number" ? log.status_code : null;
  const failed = log.success === false || (status !== null && status >= 400);
  return convert.generation(
    "cloudflare",
    ref,
    {
      model: convert.str(log.model),
      upstream: { provider: convert.str(log.provider), id: null },
      status: failed ? "failed" : "succeeded",
      createdAt: convert.isoFromString(log.created_at),
      timing: convert.timing(null, log.duration),
      usage: convert.usage({ inputTokens: convert.count(log.tokens_in), outputTokens: convert.count(log.tokens_out) }),
      cost: convert.cost({
        amount: convert.decimalAt(log, "cost"),
        currency: "USD",
        basis: log.custom_cost === true ? "custom" : "computed",
      }),
      error: failed ? `the upstream answered ${status ?? "with a failure"}` : null,
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface CloudflareAdapter extends Adapter<"cloudflare"> {
  readonly client: CloudflareClient;
}

/** The ledger adapter for Cloudflare AI Gateway; same options as `createCloudflareClient`. Refs are `{account}/{gateway}/{log_id}`. */
export const cloudflare: (options?: CloudflareClientOptions) => CloudflareAdapter = defineAdapter({
  provider: "cloudflare",
  client: createCloudflareClient,
  map: (body, { id }) => fromCloudflare(body, id),
  // The log is written after the call: 404 until then (and for ever where logging is off, until the horizon).
  isNotReadyError: (error) => NotFoundError.isInstance(error),
});

// @genledger/normalize/nanogpt
import {
  createNanoGPTClient,
  type NanoGPTClient,
  type NanoGPTClientOptions,
  type NanoGPTRequestBilling,
  type NanoGPTRequestBillingUsage,
  NotFoundError,
} from "@genledger/nanogpt";
import { type Adapter, defineAdapter } from "./adapter.js";
import * as convert from "./convert.js";
import type { Cost, Generation } from "./generation.js";

declare module "./generation.js" {
  interface RawByProvider {
    nanogpt: NanoGPTRequestBilling;
  }
}

const currencies: readonly Cost["currency"][] = ["USD", "XNO"];

/**
 * NanoGPT's billing record as a Generation. Pure: no I/O. The cost is the charge as recorded, a decimal
 * string kept digit for digit, in the currency NanoGPT names (USD or XNO, never converted): billed. The
 * record names no model, timing or finish reason, so those stay null.
 */
export function fromNanoGPT(body: NanoGPTRequestBilling): Generation<"nanogpt"> {
  const b = convert.known<NanoGPTRequestBilling>(convert.generationObject("nanogpt", body));
  const usage = convert.known<NanoGPTRequestBillingUsage>(b.usage);
  const id = convert.required("nanogpt", body, "request_id", b.request_id);
  const currency = b.currency as Cost["currency"];
  if (b.cost !== undefined && !currencies.includes(currency)) {
    convert.fail("nanogpt", body, `currency ${JSON.stringify(b.currency)} is neither USD nor XNO`);
  }
  return convert.generation(
    "nanogpt",
    id,
    {
      createdAt: convert.isoFromString(b.created_at),
      usage: convert.usage({
        inputTokens: convert.count(usage.input_tokens),
        outputTokens: convert.count(usage.output_tokens),
        reasoningTokens: convert.count(usage.reasoning_tokens),
      }),
      cost: convert.cost({ amount: convert.decimalAt(b, "cost"), currency, basis: "billed" }),
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface NanoGPTAdapter extends Adapter<"nanogpt"> {
  readonly client: NanoGPTClient;
}

/** The ledger adapter for NanoGPT; same options as `createNanoGPTClient` (the key must be the one that made the call). */
export const nanogpt: (options?: NanoGPTClientOptions) => NanoGPTAdapter = defineAdapter({
  provider: "nanogpt",
  client: createNanoGPTClient,
  map: fromNanoGPT,
  // Billing can be late: 404 (with Retry-After: 30) until the charge is recorded; NanoGPT says to stop at 24 hours.
  isNotReadyError: (error) => NotFoundError.isInstance(error),
  notFoundHorizonMs: 86_400_000,
});

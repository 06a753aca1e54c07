// @genledger/normalize/litellm
import {
  createLiteLLMClient,
  type LiteLLMClient,
  type LiteLLMClientOptions,
  type LiteLLMSpendLog,
  type LiteLLMSpendLogs,
  NotFoundError,
} from "@genledger/litellm";
import { type Adapter, defineAdapter } from "./adapter.js";
import * as convert from "./convert.js";
import type { Generation } from "./generation.js";

declare module "./generation.js" {
  interface RawByProvider {
    litellm: LiteLLMSpendLogs;
  }
}

const between = (from: string | null, to: string | null): number | null =>
  from === null || to === null ? null : convert.ms(Date.parse(to) - Date.parse(from));

/**
 * LiteLLM's spend log row as a Generation. Pure: no I/O. `spend` is what the proxy worked out from its
 * price map (`computed`), in USD, read digit for digit as sent (`7.25e-05` is 0.0000725).
 */
export function fromLiteLLM(body: LiteLLMSpendLogs): Generation<"litellm"> {
  const rows = Array.isArray(body) ? body : [];
  if (rows.length !== 1) convert.fail("litellm", body, `expected one spend log row, got ${rows.length}`);
  const row = convert.known<LiteLLMSpendLog>(convert.generationObject("litellm", rows[0]));
  const started = convert.isoFromString(row.startTime);
  const ended = convert.isoFromString(row.endTime);
  const prompt = convert.count(row.prompt_tokens);
  const completion = convert.count(row.completion_tokens);
  return convert.generation(
    "litellm",
    convert.required("litellm", body, "request_id", row.request_id),
    {
      model: convert.str(row.model),
      upstream: { provider: convert.str(row.custom_llm_provider), id: null },
      status: row.status === "failure" ? "failed" : "succeeded",
      createdAt: started,
      startedAt: started,
      completedAt: ended,
      timing: convert.timing(
        between(started, convert.isoFromString(row.completionStartTime)),
        row.request_duration_ms ?? between(started, ended),
      ),
      usage: convert.usage({
        inputTokens: prompt,
        outputTokens: completion,
        totalTokens: convert.count(row.total_tokens) ?? undefined,
      }),
      cost: convert.cost({ amount: convert.decimalAt(row, "spend"), currency: "USD", basis: "computed" }),
      error: row.status === "failure" ? 'the call failed (spend log status "failure")' : null,
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface LiteLLMAdapter extends Adapter<"litellm"> {
  readonly client: LiteLLMClient;
}

/** The ledger adapter for a LiteLLM proxy; same options as `createLiteLLMClient` (`baseUrl` or LITELLM_BASE_URL). */
export const litellm: (options?: LiteLLMClientOptions) => LiteLLMAdapter = defineAdapter({
  provider: "litellm",
  client: createLiteLLMClient,
  map: fromLiteLLM,
  // Rows are written in batches: `[]` (read as NotFoundError) until the next write, 10-60 s.
  isNotReadyError: (error) => NotFoundError.isInstance(error),
});

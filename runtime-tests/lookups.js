// The code every runtime runs: one client lookup, one ledger lookup and one captured streamed
// completion against the mock gateway.
// Plain JavaScript so Node at the engines floor runs it as it is; the edge runtime gets it bundled.
import { createCapture, tagHeaders } from "@genledger/capture";
import { createLedger } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter as openrouterAdapter } from "@genledger/normalize/openrouter";
import { createOpenRouterClient } from "@genledger/openrouter";

/**
 * @param {{ baseUrls: { openrouter: string, fastrouter: string }, apiKey: string }} config
 * @returns {Promise<{ generation: unknown, ledger: unknown, capture: unknown }>} what the runner compares across runtimes
 */
export async function lookups({ baseUrls, apiKey }) {
  const openrouter = createOpenRouterClient({ apiKey, baseUrl: baseUrls.openrouter, maxRetries: 0 });
  const generation = await openrouter.getGeneration("gen-runtime-1");
  if (generation.data.id !== "gen-runtime-1") throw new Error(`getGeneration answered for ${generation.data.id}`);

  // FastRouter reads with a POST, so this also sends a request body through core.
  const ledger = createLedger({ providers: [fastrouter({ apiKey, baseUrl: baseUrls.fastrouter, maxRetries: 0 })] });
  const record = await ledger.get("fastrouter", "gen-runtime-2");
  if (record.id !== "gen-runtime-2" || record.provider !== "fastrouter") {
    throw new Error(`ledger.get answered ${record.provider}:${record.id}`);
  }
  if (typeof record.cost?.amount !== "string") throw new Error("ledger.get gave no cost");

  // A streamed chat completion through capture.fetch, with a tag: its estimate, then its billed record.
  /** @type {import("@genledger/capture").CaptureRecord[]} */
  const records = [];
  const capture = createCapture({
    ledger: createLedger({ providers: [openrouterAdapter({ apiKey, baseUrl: baseUrls.openrouter, maxRetries: 0 })] }),
    gateways: { [baseUrls.openrouter]: "openrouter" },
    onGeneration: (r) => {
      records.push(r);
    },
  });
  const response = await capture.fetch(`${baseUrls.openrouter}/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      ...tagHeaders({ run: "runtimes" }),
    },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true }),
  });
  const streamed = await response.text();
  if (!streamed.endsWith("data: [DONE]\n\n")) throw new Error("the stream did not reach [DONE]");
  const stats = await capture.flush({ timeoutMs: 10_000 });
  await capture.close();
  const final = records.find((r) => r.generation.billing === "final");
  if (!final) throw new Error(`capture booked no final record: ${JSON.stringify(stats)}`);
  // Ids differ from runtime to runtime (the mock numbers its completions); what they cost does not.
  const captured = {
    billings: records.map((r) => r.generation.billing),
    cost: final.generation.cost?.amount,
    usage: final.generation.usage,
    tags: final.tags,
    estimate: final.estimate?.difference,
    stats,
  };
  return { generation, ledger: record, capture: captured };
}

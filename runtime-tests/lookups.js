// The code every runtime runs: one client lookup and one ledger lookup against the mock gateway.
// Plain JavaScript so Node at the engines floor runs it as it is; the edge runtime gets it bundled.
import { createLedger } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { createOpenRouterClient } from "@genledger/openrouter";

/**
 * @param {{ baseUrls: { openrouter: string, fastrouter: string }, apiKey: string }} config
 * @returns {Promise<{ generation: unknown, ledger: unknown }>} what the runner compares across runtimes
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
  return { generation, ledger: record };
}

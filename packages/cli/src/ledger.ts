// The ledger the command uses: keys and base URLs from the environment only; adapters loaded on demand.
import { createLedger, type ProviderName } from "@genledger/normalize";
import { type CliProvider, providerNames, providers } from "./providers.js";

export type BaseUrls = Partial<Record<ProviderName, string>>;

type AdapterOf<K extends CliProvider> = ReturnType<Awaited<ReturnType<(typeof providers)[K]>>>;

/**
 * A ledger for `names` (default: every gateway). With no overrides, everything comes from
 * OPENROUTER_API_KEY, OPENROUTER_BASE_URL, ... (and GENLEDGER_ALLOW_INSECURE_HTTP=1).
 */
// The command's way to the library's `allowInsecureHttp`: a key over plain http:// to a host that is not loopback.
const allowInsecureHttp = process.env.GENLEDGER_ALLOW_INSECURE_HTTP === "1";

export async function ledgerFor<const K extends CliProvider = CliProvider>(
  names: readonly K[] = providerNames as K[],
  overrides: { baseUrls?: BaseUrls; apiKey?: string; requestsPerSecond?: number | undefined } = {},
) {
  const rateLimit =
    overrides.requestsPerSecond === undefined ? undefined : { requestsPerSecond: overrides.requestsPerSecond };
  const adapters = await Promise.all(
    names.map(async (name) => {
      const factory = (await providers[name]()) as (options: {
        baseUrl?: string;
        apiKey?: string;
        allowInsecureHttp?: boolean;
        rateLimit?: { requestsPerSecond: number };
      }) => AdapterOf<K>;
      return factory({ baseUrl: overrides.baseUrls?.[name], apiKey: overrides.apiKey, allowInsecureHttp, rateLimit });
    }),
  );
  return createLedger({ providers: adapters });
}

export type CliLedger = Awaited<ReturnType<typeof ledgerFor>>;

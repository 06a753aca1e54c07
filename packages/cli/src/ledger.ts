// The ledger the command uses: every gateway, keys and base URLs from the environment only.
import { MissingApiKeyError } from "@genledger/core";
import { createLedger, type ProviderName } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter } from "@genledger/normalize/openrouter";
import { oxen } from "@genledger/normalize/oxen";
import { zenmux } from "@genledger/normalize/zenmux";

export const providerNames: readonly ProviderName[] = ["openrouter", "zenmux", "fastrouter", "oxen"];

export function isProviderName(value: string): value is ProviderName {
  return (providerNames as readonly string[]).includes(value);
}

export type BaseUrls = Partial<Record<ProviderName, string>>;

/** With no arguments, everything comes from OPENROUTER_API_KEY, OPENROUTER_BASE_URL, ... */
export function ledgerFor(overrides: { baseUrls?: BaseUrls; apiKey?: string } = {}) {
  const o = (p: ProviderName) => ({ baseUrl: overrides.baseUrls?.[p], apiKey: overrides.apiKey });
  return createLedger({
    providers: [openrouter(o("openrouter")), zenmux(o("zenmux")), fastrouter(o("fastrouter")), oxen(o("oxen"))],
  });
}

export type CliLedger = ReturnType<typeof ledgerFor>;

/** One line for an error; a missing key names the variable to set, not a library option. */
export function describeError(error: unknown): string {
  if (MissingApiKeyError.isInstance(error)) return `${error.envVar} is not set (the ${error.provider} API key)`;
  return error instanceof Error ? error.message : String(error);
}

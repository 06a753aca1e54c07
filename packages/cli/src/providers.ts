// The gateways the command knows, in one place: adding one is one line. Each adapter loads only when a
// command needs it, so `genledger --help` loads none.
export const providers = {
  openrouter: () => import("@genledger/normalize/openrouter").then((m) => m.openrouter),
  zenmux: () => import("@genledger/normalize/zenmux").then((m) => m.zenmux),
  fastrouter: () => import("@genledger/normalize/fastrouter").then((m) => m.fastrouter),
  oxen: () => import("@genledger/normalize/oxen").then((m) => m.oxen),
};

export type CliProvider = keyof typeof providers;

export const providerNames = Object.keys(providers) as CliProvider[];

export function isProviderName(value: string): value is CliProvider {
  return Object.hasOwn(providers, value);
}

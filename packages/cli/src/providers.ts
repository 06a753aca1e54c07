// The gateways the command knows: every subpath `@genledger/normalize` exports (its package.json is the
// one list; `pnpm gateway:new` adds to it). Each adapter loads only when a command needs it, so
// `genledger --help` loads none.
import { createRequire } from "node:module";
import type * as all from "@genledger/normalize/all";

/** Each gateway's adapter factory, by provider name (types only: nothing loads here). */
type Factories = typeof all;
export type CliProvider = keyof Factories;

const manifest = createRequire(import.meta.url)("@genledger/normalize/package.json") as {
  exports: Record<string, unknown>;
};

export const providerNames = Object.keys(manifest.exports)
  .map((key) => key.slice(2))
  .filter((name) => name !== "" && name !== "all" && name !== "package.json") as CliProvider[];

export const providers = Object.fromEntries(
  providerNames.map((name) => [
    name,
    () => import(`@genledger/normalize/${name}`).then((m: Record<string, unknown>) => m[name]),
  ]),
) as { [K in CliProvider]: () => Promise<Factories[K]> };

export function isProviderName(value: string): value is CliProvider {
  return Object.hasOwn(providers, value);
}

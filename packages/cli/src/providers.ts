// The gateways the command knows: every gateway package it depends on (its own package.json is the list;
// `pnpm gateway:new` adds to it). Each adapter loads only when a command needs it, so `genledger --help`
// loads none, nor normalize.
import { createRequire } from "node:module";
import type * as all from "@genledger/normalize/all";

/** Each gateway's adapter factory, by provider name (types only: nothing loads here). */
type Factories = typeof all;
export type CliProvider = keyof Factories;

const manifest = createRequire(import.meta.url)("../package.json") as { dependencies: Record<string, string> };
const notGateways = new Set(["core", "normalize", "store", "testing"]);

export const providerNames = Object.keys(manifest.dependencies)
  .filter((dependency) => dependency.startsWith("@genledger/"))
  .map((dependency) => dependency.slice("@genledger/".length))
  .filter((name) => !notGateways.has(name)) as CliProvider[];

export const providers = Object.fromEntries(
  providerNames.map((name) => [
    name,
    () => import(`@genledger/normalize/${name}`).then((m: Record<string, unknown>) => m[name]),
  ]),
) as { [K in CliProvider]: () => Promise<Factories[K]> };

export function isProviderName(value: string): value is CliProvider {
  return Object.hasOwn(providers, value);
}

/** "unknown provider" with the closest known name, for a usage error (loads core's matcher only then). */
export async function unknownProvider(value: string): Promise<string> {
  const { closest } = await import("@genledger/core/internal");
  const near = closest(value, providerNames);
  return `unknown provider ${JSON.stringify(value)}${near ? `: did you mean ${near}?` : ""} (one of ${providerNames.join(", ")})`;
}

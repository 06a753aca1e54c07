// The store a command writes to or reads from: a URL from --into/--store; a URL that names no store is a
// usage error (exit 2), a store that cannot be used now (down, locked, read-only) a failure (exit 1).
import type { Store } from "@genledger/store";
import { UsageError } from "./usage-error.js";

export interface CliStoreOptions {
  /** Reading commands: a SQLite file that is not there is a typo, not a new store to create. */
  existing?: boolean;
}

export async function openCliStore(url: string, options: CliStoreOptions = {}): Promise<Store> {
  const { openStore, parseStoreUrl, StoreError } = await import("@genledger/store");
  try {
    const location = parseStoreUrl(url);
    if (options.existing && location.engine === "sqlite" && location.path !== ":memory:") {
      const { stat } = await import("node:fs/promises");
      if (!(await stat(location.path).catch(() => undefined))?.isFile()) {
        throw new UsageError(
          `no store at ${location.shown}: genledger batch --into or genledger import --into makes one`,
        );
      }
    }
    return await openStore(url);
  } catch (error) {
    if (StoreError.isInstance(error) && error.code === "bad-url") throw new UsageError(error.message);
    throw error;
  }
}

/** Runs `task` with the store open, and closes it whatever happens. */
export async function withStore<T>(
  url: string,
  task: (store: Store) => Promise<T>,
  options: CliStoreOptions = {},
): Promise<T> {
  const store = await openCliStore(url, options);
  try {
    return await task(store);
  } finally {
    await store.close();
  }
}

export { StoreError } from "./errors.js";
export { billingRank, type StoredGeneration, type Tags } from "./records.js";
export {
  parseInstant,
  type Report,
  type ReportKey,
  type ReportQuery,
  type ReportRow,
  type ReportTotals,
} from "./report.js";
export { type ResolveLedger, type ResolveOptions, type ResolveStats, resolvePending, retryDelay } from "./resolve.js";
export { schemaVersion } from "./schema.js";
export {
  type ClaimedRef,
  checkPutItem,
  type OpenStoreOptions,
  openStore,
  type PutItem,
  type PutResult,
  type QueueItem,
  type QueueStats,
  type Settlement,
  Store,
  type StoredEntry,
} from "./store.js";
export { parseStoreUrl, type StoreLocation } from "./url.js";

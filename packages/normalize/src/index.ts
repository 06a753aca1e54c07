export { parseJsonExact } from "@genledger/core";
export type { Adapter, WaitOptions } from "./adapter.js";
export type {
  Cost,
  CostItem,
  Generation,
  GenerationFields,
  GenerationStatus,
  ProviderName,
  RawByProvider,
  Usage,
} from "./generation.js";
export {
  createLedger,
  type GenerationRef,
  type GetManyResult,
  type GetOptions,
  type Ledger,
  UnknownProviderError,
} from "./ledger.js";
export { addDecimals, compareDecimals, sumCosts, toDecimal } from "./money.js";
export { type OtelAttributes, toOtelAttributes } from "./otel.js";
export {
  type AiSdkProvider,
  GenerationIdNotFoundError,
  getAllFor,
  getFor,
  MultipleGenerationsError,
  type OpenAICompatibleProvider,
  refFromAiSdk,
  refFromOpenAI,
  refFromResult,
  refsFromAiSdk,
  refsFromResult,
} from "./sdk-refs.js";

export { parseJsonExact } from "@genledger/core";
export type { Adapter, WaitOptions } from "./adapter.js";
export type {
  Cost,
  CostBasis,
  CostItem,
  Generation,
  GenerationFields,
  GenerationRecord,
  GenerationRef,
  GenerationStatus,
  ProviderName,
  RawByProvider,
  Usage,
} from "./generation.js";
export { impliedBasis } from "./generation.js";
export {
  createLedger,
  type GetManyResult,
  type GetOnceResult,
  type GetOptions,
  type Ledger,
  UnknownProviderError,
} from "./ledger.js";
export {
  addDecimals,
  amountProblem,
  compareDecimals,
  costUnit,
  maxAmountDigits,
  subtractDecimals,
  sumCosts,
  toDecimal,
} from "./money.js";
export { checkOptions, type OptionSpec } from "./options.js";
export { genAiProviderName, type OtelAttributes, toOtelAttributes } from "./otel.js";
export {
  type AiSdkProvider,
  aiSdkGateways,
  aiSdkProviderOfMetadata,
  aiSdkProviderOfModel,
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
export {
  checkTags,
  isTagName,
  maxTagNameLength,
  maxTags,
  maxTagValueLength,
  type Tags,
  tagsProblem,
} from "./tags.js";

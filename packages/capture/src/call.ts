// One model call as capture saw it: a leaf, read by the error that names a call and by every other part.
import type { GenerationRef } from "@genledger/normalize";
import type { CapturedApi } from "./gateways.js";
import type { Tags } from "./tags.js";

/** One model call as capture saw it. */
export interface CapturedCall {
  /** The gateway, told from the request's URL (fetch) or the model (middleware). */
  provider: string;
  /** `{ provider, id }` once the response gave its generation id. */
  ref: GenerationRef | null;
  api: CapturedApi;
  via: "fetch" | "middleware";
  streamed: boolean;
  tags: Tags;
  /** The model the call asked for, where capture could see it. */
  requestModel: string | null;
  /** Epoch ms: the request left; the first byte or part came back; the response ended. */
  startedAt: number;
  firstByteAt: number | null;
  endedAt: number | null;
}

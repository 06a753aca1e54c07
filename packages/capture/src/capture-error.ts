import { GenledgerError } from "@genledger/core";
import type { CapturedCall } from "./call.js";

/** Why capture could not book a call; `call` says which. The SDK call itself was not affected. */
export class CaptureError extends GenledgerError {
  static override readonly kind: string = "CaptureError";
  declare readonly call: CapturedCall;
  /**
   * `"no-id"`: the response carried no generation id; `"lookup-failed"`: the lookup failed for good;
   * `"not-final"`: still not final at the horizon; `"callback-failed"`: `onGeneration` threw;
   * `"unknown-gateway"`: the middleware could not tell which gateway served the call, or `capture.fetch`
   * met a call shaped like a gateway's under a base URL it knows no gateway for (said once per base URL;
   * the call is passed on untouched and not booked); `"bad-tags"`:
   * the tag header was not what `tagHeaders()` writes; `"store-failed"`: the store refused a write (the
   * lookup goes on, and a later record is written again); `"bad-cost"`: the response's inline cost is
   * none any gateway bills (1e308): no estimate is booked, the lookup goes on.
   */
  declare readonly code:
    | "no-id"
    | "lookup-failed"
    | "not-final"
    | "callback-failed"
    | "unknown-gateway"
    | "bad-tags"
    | "store-failed"
    | "bad-cost";
  constructor(code: CaptureError["code"], call: CapturedCall, message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.assign(this, { code, call });
  }
}

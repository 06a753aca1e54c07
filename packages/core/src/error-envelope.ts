import type { ErrorEnvelope } from "./types.js";

/**
 * `{ "error": { message, code, type } }`, the envelope most gateways answer errors with. `prefer`
 * says which of `code` and `type` names the error when both are there; a missing message is the type.
 */
export function readErrorObject(body: unknown, prefer: "code" | "type" = "code"): ErrorEnvelope | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== "object") return undefined;
  const e = error as { message?: unknown; code?: unknown; type?: unknown };
  const type = typeof e.type === "string" ? e.type : undefined;
  const code = prefer === "type" ? (type ?? e.code) : (e.code ?? type);
  return {
    message: typeof e.message === "string" ? e.message : type,
    code: code === undefined || code === null ? undefined : String(code),
  };
}

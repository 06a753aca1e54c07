// A gateway's refusal as a typed error: its envelope read by the gateway's own `parseError`, the request
// id kept, the key redacted from every word, and an error class that fits the status.
import { ApiError, apiErrorClass } from "./errors.js";
import { parseRetryAfter, requestIdOf } from "./headers.js";
import { redact, redactText } from "./redact.js";
import type { GatewaySpec, TextResponse } from "./types.js";

export interface ErrorContext {
  spec: Pick<GatewaySpec, "provider" | "displayName" | "parseError">;
  /** Redacted from the message, the code, the request id and the body. */
  key: string | undefined;
  parse: (text: string) => unknown;
}

/** The gateway's own envelope in `body`, or undefined (also when its `parseError` throws). */
export function envelopeOf(spec: Pick<GatewaySpec, "parseError">, body: unknown) {
  try {
    return spec.parseError(body);
  } catch {}
}

/**
 * The typed error for a non-2xx answer, or a 2xx whose body is the gateway's error envelope (`parsed`, already
 * redacted, when the caller has it).
 */
export function apiErrorFrom(r: TextResponse, { spec, key, parse }: ErrorContext, parsed?: unknown): ApiError {
  const { status, headers, keyWithheldAt } = r;
  const name = spec.displayName;
  let body = parsed;
  if (body === undefined) {
    try {
      body = redact(parse(r.text), [key]);
    } catch {
      body = redactText(r.text, key);
    }
  }
  const envelope = envelopeOf(spec, body);
  const words =
    envelope?.message ?? (typeof body === "string" && body.trim() ? squash(body) : undefined) ?? "no error message";
  const requestId = requestIdOf(headers);
  const notFound = r.notFound;
  // A refusal from another origin is not a verdict on the key: the key was never sent there.
  const head = keyWithheldAt
    ? `${name} redirected to another origin, ${keyWithheldAt}, so the key was not sent (it never leaves the gateway's origin); that server answered ${status}`
    : notFound
      ? `${name} answered ${notFound.status}`
      : status < 300
        ? `${name} answered ${status} with an error`
        : `${name} ${status}`;
  const statusText = r.statusText && status > 299 && !notFound ? ` ${r.statusText}` : "";
  const said = notFound ? (envelope?.message ? `${words}; ${notFound.why}` : notFound.why) : words;
  // Not an AuthenticationError when the key was withheld: the key may well be good.
  const errorClass = keyWithheldAt && (status === 401 || status === 403) ? ApiError : apiErrorClass(status);
  return new errorClass({
    provider: spec.provider,
    status,
    code: envelope?.code === undefined ? undefined : redactText(envelope.code, key),
    message: redactText(`${head}${statusText}: ${said}${requestId ? ` (request id ${requestId})` : ""}`, key),
    requestId: requestId && redactText(requestId, key),
    body,
    // What the gateway asked for, even beyond what the client itself is willing to wait.
    retryAfterMs: parseRetryAfter(headers),
  });
}

/** An HTML error page or a long text as one short line. */
function squash(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

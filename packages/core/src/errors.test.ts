import { describe, expect, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  isTransient,
  NotFoundError,
  RateLimitError,
  ResponseParseError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
} from "./errors.js";

describe("isTransient: the one answer to 'may the same request succeed later?'", () => {
  const api = (status: number) => new ApiError({ provider: "acme", status, message: "m", body: undefined });
  it("says yes for an unreachable gateway, a timeout and the statuses that say so", () => {
    expect(isTransient(new ConnectionError("acme", "down"))).toBe(true);
    expect(isTransient(new TimeoutError("acme", "slow", 10))).toBe(true);
    for (const status of [408, 409, 429, 500, 503]) expect(isTransient(api(status)), String(status)).toBe(true);
    expect(isTransient(new RateLimitError({ provider: "acme", status: 429, message: "m", body: undefined }))).toBe(
      true,
    );
    expect(isTransient(new ServerError({ provider: "acme", status: 502, message: "m", body: undefined }))).toBe(true);
  });
  it("says no for a refused key, an unknown id, a body not of the documented shape, or anything else", () => {
    expect(isTransient(new AuthenticationError({ provider: "acme", status: 401, message: "m", body: undefined }))).toBe(
      false,
    );
    expect(isTransient(new NotFoundError({ provider: "acme", status: 404, message: "m", body: undefined }))).toBe(
      false,
    );
    expect(isTransient(new ResponseParseError("acme", "not JSON"))).toBe(false);
    expect(isTransient(new ResponseTooLargeError("acme", "too big", { status: 200, maxResponseBytes: 10 }))).toBe(
      false,
    );
    expect(isTransient(new Error("x"))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

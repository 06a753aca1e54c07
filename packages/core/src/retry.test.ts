import { maxRetryDelayMs } from "@genledger/core/internal";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./headers.js";
import { backoffMs } from "./retry.js";

const h = (init: Record<string, string>) => new Headers(init);

describe("parseRetryAfter", () => {
  it("prefers retry-after-ms", () => {
    expect(parseRetryAfter(h({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
  });
  it("reads retry-after in seconds", () => {
    expect(parseRetryAfter(h({ "retry-after": "3" }))).toBe(3000);
    expect(parseRetryAfter(h({ "retry-after": "1.5" }))).toBe(1500);
  });
  it("reads retry-after as an HTTP date", () => {
    const now = Date.parse("2026-11-20T10:00:00Z");
    expect(parseRetryAfter(h({ "retry-after": "Fri, 20 Nov 2026 10:00:05 GMT" }), now)).toBe(5000);
    expect(parseRetryAfter(h({ "retry-after": "Fri, 20 Nov 2026 09:00:00 GMT" }), now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(h({ "retry-after": "soon" }))).toBeUndefined();
    expect(parseRetryAfter(h({ "retry-after-ms": "-5" }))).toBeUndefined();
    expect(parseRetryAfter(h({}))).toBeUndefined();
  });
  it("is strict: trailing words, hex, exponents and loose dates are not read", () => {
    for (const value of ["12abc", "0x10", "1e3", "12 ", " ", "Infinity", "12", "2026-11-20"]) {
      const asMs = parseRetryAfter(h({ "retry-after-ms": value }));
      if (value.trim() === "12") expect(asMs).toBe(12);
      else expect(asMs).toBeUndefined();
    }
    expect(parseRetryAfter(h({ "retry-after": "12abc" }))).toBeUndefined();
    expect(parseRetryAfter(h({ "retry-after": "0x10" }))).toBeUndefined();
    expect(parseRetryAfter(h({ "retry-after": "2026-11-20" }))).toBeUndefined();
    expect(parseRetryAfter(h({ "retry-after-ms": "12abc", "retry-after": "2" }))).toBe(2000);
  });
});

describe("retry delays", () => {
  it("doubles from 0.5 s up to 8 s, less at most 25% jitter", () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(1, () => 0)).toBe(1000);
    expect(backoffMs(3, () => 0)).toBe(4000);
    expect(backoffMs(10, () => 0)).toBe(maxRetryDelayMs);
    expect(backoffMs(0, () => 1)).toBe(375);
    for (let i = 0; i < 100; i++) {
      const d = backoffMs(2);
      expect(d).toBeGreaterThanOrEqual(1500);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});

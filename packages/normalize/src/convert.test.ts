import { describe, expect, it } from "vitest";
import { count, isoFromString, isoFromUnixSeconds, ms, sum } from "./convert.js";

describe("count (token counts)", () => {
  it.each([0, 1, 1532, Number.MAX_SAFE_INTEGER])("keeps %j", (n) => expect(count(n)).toBe(n));
  it("turns -0 into 0", () => expect(Object.is(count(-0), 0)).toBe(true));
  it.each([
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.MAX_SAFE_INTEGER + 1,
    1e300,
    "12",
    null,
    undefined,
    {},
  ])("%j → null", (v) => expect(count(v)).toBeNull());
  it("sums to null when the total would not be exact", () => {
    expect(sum(1, 2)).toBe(3);
    expect(sum(Number.MAX_SAFE_INTEGER, 1)).toBeNull();
    expect(sum(null, 2)).toBeNull();
  });
});

describe("ms (durations)", () => {
  it.each([0, 1290, 12.5])("keeps %j", (n) => expect(ms(n)).toBe(n));
  it.each([-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER * 2, "100", null])(
    "%j → null",
    (v) => expect(ms(v)).toBeNull(),
  );
});

describe("isoFromString", () => {
  it.each([
    ["2024-07-15T23:33:19.433434+00:00", "2024-07-15T23:33:19.433Z"], // microseconds cut, not rounded
    ["2024-07-15T23:33:19.999999Z", "2024-07-15T23:33:19.999Z"],
    ["2025-09-16T08:30:12.250+08:00", "2025-09-16T00:30:12.250Z"],
    ["2025-09-16T08:30:12-0530", "2025-09-16T14:00:12.000Z"],
    ["2024-07-15 23:33:19", "2024-07-15T23:33:19.000Z"], // no offset: UTC, whatever the machine's zone
    ["2024-07-15", "2024-07-15T00:00:00.000Z"],
    [" 2024-02-29T12:00:00Z ", "2024-02-29T12:00:00.000Z"],
    ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
    // An hour-only offset (ISO-8601 `±hh`), as OpenRouter sends it and PostgreSQL prints it.
    ["2025-08-16T13:55:18.378595+00", "2025-08-16T13:55:18.378Z"],
    ["2025-08-16 13:55:18.378595+00", "2025-08-16T13:55:18.378Z"],
    ["2025-08-16T13:55:18-03", "2025-08-16T16:55:18.000Z"],
  ])("%j → %j", (input, output) => expect(isoFromString(input)).toBe(output));

  it.each([
    "2024-02-30T00:00:00Z", // rolls over to March 1 in Date.parse
    "2023-02-29",
    "2024-13-01T00:00:00Z",
    "2024-07-15T24:00:00Z",
    "2024-07-15T23:60:00Z",
    "2024-07-15T23:33:60Z",
    "2024-07-15T23:33:19+24:00",
    // Ambiguous offsets stay refused.
    "2024-07-15T23:33:19+0",
    "2024-07-15T23:33:19+005",
    "2024-07-15T23:33:19+00:",
    "2024-07-15T23:33:19+00:0",
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:30:00+01:00", // before 1970 once the offset is applied
    "+275760-09-13T00:00:00Z",
    "10000-01-01T00:00:00Z",
    "2",
    "March 7",
    "Mon, 15 Jul 2024 23:33:19 GMT",
    "",
    "   ",
    null,
    1721086399,
  ])("%j → null, never a RangeError", (input) => expect(isoFromString(input)).toBeNull());
});

describe("isoFromUnixSeconds", () => {
  it.each([
    [0, "1970-01-01T00:00:00.000Z"],
    [1763633730, "2025-11-20T10:15:30.000Z"],
    [1763633730.1234, "2025-11-20T10:15:30.123Z"],
    [253402300799, "9999-12-31T23:59:59.000Z"],
  ])("%j → %j", (input, output) => expect(isoFromUnixSeconds(input)).toBe(output));

  it.each([1e20, -1, 253402300800, Number.NaN, Number.POSITIVE_INFINITY, "1763633730", null])(
    "%j → null, never a RangeError",
    (input) => expect(isoFromUnixSeconds(input)).toBeNull(),
  );
});

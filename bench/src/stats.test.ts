import { describe, expect, it } from "vitest";
import { pairedRatio, spread } from "./stats.js";

describe("spread", () => {
  it("gives min, median and max of an odd count, whatever the order", () => {
    expect(spread([5, 1, 3])).toMatchObject({ min: 1, median: 3, max: 5 });
  });
  it("takes the mean of the two middle samples of an even count", () => {
    expect(spread([4, 1, 10, 2])).toMatchObject({ min: 1, median: 3, max: 10 });
  });
  it("keeps the samples in the order measured", () => {
    expect(spread([2, 1]).samples).toEqual([2, 1]);
  });
  it("refuses an empty series", () => {
    expect(() => spread([])).toThrow(/no samples/);
  });
});

describe("pairedRatio", () => {
  it("divides round by round before summarising", () => {
    // Medians alone would give 20/10 = 2; per round the ratios are 1, 1, 1.
    expect(pairedRatio([10, 20, 40], [10, 20, 40])).toMatchObject({ min: 1, median: 1, max: 1 });
    expect(pairedRatio([1, 6], [2, 3])).toMatchObject({ min: 0.5, median: 1.25, max: 2 });
  });
  it("refuses series of different lengths", () => {
    expect(() => pairedRatio([1], [1, 2])).toThrow(/different lengths/);
  });
});

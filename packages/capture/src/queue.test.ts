import { describe, expect, it } from "vitest";
import { DueQueue } from "./queue.js";

describe("DueQueue", () => {
  it("hands out entries earliest due first, only once due", () => {
    const q = new DueQueue<number>();
    const dues = [50, 10, 40, 10, 30, 20, 60, 0];
    for (const [i, due] of dues.entries()) q.push(due, i);
    expect(q.nextDue).toBe(0);
    expect(q.popDue(5)).toBe(7);
    expect(q.popDue(5)).toBeUndefined();
    const out: number[] = [];
    for (let v = q.popDue(100); v !== undefined; v = q.popDue(100)) out.push(dues[v] as number);
    expect(out).toEqual([10, 10, 20, 30, 40, 50, 60]);
    expect(q.size).toBe(0);
  });

  it("drains what it holds", () => {
    const q = new DueQueue<string>();
    q.push(2, "b");
    q.push(1, "a");
    expect(q.drain().sort()).toEqual(["a", "b"]);
    expect(q.nextDue).toBeUndefined();
  });
});

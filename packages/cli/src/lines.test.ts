import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type Line, lineBatches, lines } from "./lines.js";

const chunks = (...parts: (string | Buffer)[]) => Readable.from(parts.map((p) => Buffer.from(p)));

async function all(stream: Readable): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of lines(stream)) out.push(line);
  return out;
}

describe("lines", () => {
  it("joins a line cut across chunks (and a character cut across them), drops \\r, keeps byte offsets", async () => {
    const euro = Buffer.from("€"); // 3 bytes
    const got = await all(
      chunks("a:1\r\nb:", Buffer.concat([Buffer.from("x"), euro.subarray(0, 1)]), euro.subarray(1), "\n\nlast"),
    );
    expect(got).toEqual([
      { text: "a:1", number: 1, end: 5, terminated: true },
      { text: "b:x€", number: 2, end: 12, terminated: true },
      { text: "", number: 3, end: 13, terminated: true },
      { text: "last", number: 4, end: 17, terminated: false },
    ]);
  });

  it("marks a line past maxLineBytes as too long without keeping it, across chunks, and goes on", async () => {
    const got: Line[] = [];
    const stream = chunks("ok\n0123", "456789", "abc\nfine\n", "x".repeat(20), "y");
    for await (const batch of lineBatches(stream, 8)) got.push(...batch);
    expect(got).toEqual([
      { text: "ok", number: 1, end: 3, terminated: true },
      { text: "", number: 2, end: 17, terminated: true, tooLong: true },
      { text: "fine", number: 3, end: 22, terminated: true },
      { text: "", number: 4, end: 43, terminated: false, tooLong: true },
    ]);
  });

  it("gives one batch per chunk read, a line with the chunk that ends it", async () => {
    const batches: string[][] = [];
    for await (const batch of lineBatches(chunks("a\nb\nc", "c\nd\n", "e"))) batches.push(batch.map((l) => l.text));
    expect(batches).toEqual([["a", "b"], ["cc", "d"], ["e"]]);
  });

  it("drops a byte order mark at the start of the file, and only there (offsets still count its bytes)", async () => {
    expect(await all(chunks("\uFEFFa:1\r\n\uFEFFb:2\n"))).toEqual([
      { text: "a:1", number: 1, end: 8, terminated: true },
      { text: "\uFEFFb:2", number: 2, end: 15, terminated: true },
    ]);
    expect((await all(chunks("\uFEFFonly")))[0]?.text).toBe("only");
  });
});

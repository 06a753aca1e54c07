import { describe, expect, it } from "vitest";
import { EventStreamReader, maxEventChars } from "./event-stream.js";

function read(chunks: (string | Uint8Array)[]) {
  const events: [string, string][] = [];
  const reader = new EventStreamReader((data, event) => events.push([data, event]));
  const encoder = new TextEncoder();
  for (const chunk of chunks) reader.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
  reader.end();
  return events;
}

describe("EventStreamReader", () => {
  const stream =
    'event: a\ndata: {"x":1}\n\n: a comment\n\ndata: line 1\ndata: line 2\n\ndata:no space\n\ndata: [DONE]\n\n';
  const expected = [
    ['{"x":1}', "a"],
    ["line 1\nline 2", ""],
    ["no space", ""],
    ["[DONE]", ""],
  ];

  it("reads events, comments, multi-line data and names", () => {
    expect(read([stream])).toEqual(expected);
  });

  it("gives the same events whatever the chunk boundaries and line endings", () => {
    for (const ending of ["\n", "\r\n", "\r"]) {
      const text = stream.replaceAll("\n", ending);
      for (let size = 1; size <= 7; size++) {
        const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
          text.slice(i * size, i * size + size),
        );
        expect(read(chunks), `${JSON.stringify(ending)} in chunks of ${size}`).toEqual(expected);
      }
    }
  });

  it("decodes UTF-8 split across chunks", () => {
    const bytes = new TextEncoder().encode("data: héllo €\n\n");
    expect(read([bytes.slice(0, 8), bytes.slice(8, 14), bytes.slice(14)])).toEqual([["héllo €", ""]]);
  });

  it("drops an event not closed before the end, and an oversized one, and reads on", () => {
    expect(read(["data: a\n\ndata: cut"])).toEqual([["a", ""]]);
    const huge = `data: ${"x".repeat(maxEventChars + 10)}`;
    expect(read([huge, "\n\ndata: after\n\n"])).toEqual([["after", ""]]);
    expect(read(["data: ", "y".repeat(maxEventChars), "z\n", "data: more\n\ndata: after\n\n"])).toEqual([
      ["after", ""],
    ]);
  });

  it("reads large events cut into many small chunks whole, with any line ending", () => {
    const big = (i: number) => `{"i":${i},"text":"${"é".repeat(250_000)}"}`;
    for (const end of ["\n", "\r\n", "\r"]) {
      const text = Array.from({ length: 5 }, (_, i) => `event: e${i}${end}data: ${big(i)}${end}${end}`).join("");
      const bytes = new TextEncoder().encode(text);
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += 16_381) chunks.push(bytes.subarray(at, at + 16_381));
      expect(read(chunks)).toEqual(Array.from({ length: 5 }, (_, i) => [big(i), `e${i}`]));
    }
  });

  it("drops, as they pass, the data of events it does not want, named first", () => {
    const events: [string, string][] = [];
    const reader = new EventStreamReader(
      (data, event) => events.push([data, event]),
      (event) => event !== "delta",
    );
    const encoder = new TextEncoder();
    for (const chunk of [
      'event: created\ndata: {"a":1}\n\n',
      "event: delta\ndata: ",
      "x".repeat(1000),
      "\n\n",
      "data: unnamed\n\n",
      "event: done\ndata: {}\n\n",
    ]) {
      reader.push(encoder.encode(chunk));
    }
    reader.end();
    expect(events).toEqual([
      ['{"a":1}', "created"],
      ["unnamed", ""],
      ["{}", "done"],
    ]);
  });
});

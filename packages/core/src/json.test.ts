import { exactNumberText, maxJsonDepth, parseJson, parseJsonExact, redact } from "@genledger/core/internal";
import { describe, expect, it } from "vitest";

describe("parseJson", () => {
  it("parses what JSON.parse parses, the same way", () => {
    const text = '{"a":[1,-2.5e-7,true,null,"x\\"]{[",{"b":{}}],"c":"\\\\"}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it("refuses nesting deeper than maxJsonDepth, and only that", () => {
    const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    expect(() => parseJson(deep(maxJsonDepth))).not.toThrow();
    expect(() => parseJson(deep(maxJsonDepth + 1))).toThrowError(`JSON nested deeper than ${maxJsonDepth} levels`);
    expect(() => parseJson(`{"a":${deep(100_000)}}`)).toThrowError(/nested deeper/);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const inString = JSON.stringify({ s: `\\"${"[".repeat(500)}` });
    expect(parseJson(inString)).toEqual(JSON.parse(inString));
  });

  it("reports text that is not JSON like JSON.parse", () => {
    expect(() => parseJson('{"a": 1')).toThrowError(SyntaxError);
    expect(() => parseJson('{"a": "unterminated')).toThrowError(SyntaxError);
  });

  it("leaves numbers to JSON.parse: nothing recorded", () => {
    const body = parseJson('{"a":0.30000000000000000001}') as { a: number };
    expect(body.a).toBe(0.3);
    expect(exactNumberText(body, "a")).toBeUndefined();
  });
});

describe("parseJsonExact", () => {
  it("parses what parseJson parses, and refuses the same nesting", () => {
    const text = '{"a":[1,-2.5e-7,true,null,"x\\"]{[",{"b":{}}],"c":"\\\\"}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
    expect(() => parseJsonExact(`${"[".repeat(maxJsonDepth + 1)}${"]".repeat(maxJsonDepth + 1)}`)).toThrowError(
      /nested deeper/,
    );
    expect(() => parseJsonExact('{"a": 1')).toThrowError(SyntaxError);
  });

  it("records the digits of numbers a double cannot hold, wherever they are", () => {
    const body = parseJsonExact(
      '{"__proto__":{"x":1},"amounts":[0.1,0.30000000000000000001,1e400],"big":-12345678901234567890123,"ok":1.5e-7}',
    ) as { amounts: number[]; big: number; ok: number };
    expect(exactNumberText(body.amounts, "1")).toBe("0.30000000000000000001");
    expect(exactNumberText(body.amounts, "2")).toBe("1e400");
    expect(exactNumberText(body.amounts, "0")).toBeUndefined();
    expect(exactNumberText(body, "big")).toBe("-12345678901234567890123");
    expect(exactNumberText(body, "ok")).toBeUndefined();
    expect(body.big).toBe(Number("-12345678901234567890123"));
    expect(Object.hasOwn(body, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("records nothing for numbers that round-trip, however long their text", () => {
    const body = parseJsonExact('{"a":0.1000000000000000000,"b":123456789012345,"c":1.00000000000000000e2}') as object;
    expect(Object.getOwnPropertySymbols(body)).toEqual([]);
  });

  it("reads a lone number", () => {
    expect(parseJsonExact("0.123456789012345678901")).toBe(0.12345678901234568);
  });
});

describe("redact", () => {
  const secret = "test-secret-0001";

  it("walks any depth without recursion", () => {
    let value: Record<string, unknown> = { s: secret };
    for (let i = 0; i < 200_000; i++) value = { v: value };
    expect(() => redact(value, [secret])).not.toThrow();
    let inner = value;
    while (inner.v) inner = inner.v as Record<string, unknown>;
    expect(inner.s).toBe("[redacted]");
  });

  it("redacts keys too, and keeps recorded number texts", () => {
    const body = parseJson(`{"${secret}":0.123456789012345678901,"b":"x ${secret} y"}`) as Record<string, unknown>;
    redact(body, [secret]);
    expect(body).toEqual({ "[redacted]": 0.12345678901234568, b: "x [redacted] y" });
    expect(exactNumberText(body, "b")).toBeUndefined();
  });

  it("survives cycles", () => {
    const a: Record<string, unknown> = { s: secret };
    a.self = a;
    expect(redact(a, [secret]).s).toBe("[redacted]");
  });
});

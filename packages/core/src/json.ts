// The JSON reader for gateway bodies. JSON.parse does the work; one scan of the text first refuses
// absurd nesting, so nothing downstream can overflow the stack.

/** Real bodies nest a handful of levels; anything past this is refused. */
export const maxJsonDepth = 128;

/**
 * Parse a gateway's JSON body. Throws an Error saying what is wrong when the text is not JSON or
 * nests deeper than `maxJsonDepth`. Numbers are what JSON.parse makes of them; `parseJsonExact`
 * keeps the digits of those a double cannot hold.
 */
export function parseJson(text: string): unknown {
  scanJson(text);
  return JSON.parse(text);
}

/**
 * One pass over the text outside strings: throws past `maxJsonDepth`, and calls `number` at each
 * character that may start a number token, which returns where the token ends. Internal:
 * `parseJson` and `parseJsonExact` are the package's two readers.
 */
export function scanJson(text: string, number?: (text: string, start: number) => number): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return; // unterminated: JSON.parse says so
        let b = i - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((i - 1 - b) % 2 === 0) break;
      }
    } else if (c === 123 || c === 91) {
      if (++depth > maxJsonDepth) throw new Error(`JSON nested deeper than ${maxJsonDepth} levels`);
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (number && (c === 45 || (c >= 48 && c <= 57))) {
      i = number(text, i) - 1;
    }
  }
}

/** `v` as a JSON object (not null, not an array), else undefined: the one such guard of genledger's code. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

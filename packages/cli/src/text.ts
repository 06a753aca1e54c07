// Text from a gateway is data: printed, it must not drive the terminal; serialised, it must not crash a batch.

// ANSI/VT escape sequences (CSI, OSC, DCS/PM/APC strings, two-byte escapes), then any other control character.
const escapeSequence =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[ -~]?/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** `text` on one line with every escape sequence and control character removed (runs of them become one space). */
export function clean(text: string): string {
  return text.replace(escapeSequence, "").replace(controlCharacter, " ");
}

/** JSON text, or the reason it cannot be made (a cycle, a BigInt, nesting too deep for the stack). */
export function toJson(value: unknown, space?: number): { text: string } | { error: Error } {
  try {
    return { text: JSON.stringify(value, null, space) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

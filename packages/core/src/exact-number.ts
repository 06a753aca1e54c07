// JSON numbers that a double cannot hold exactly keep the digits the gateway sent, so money stays
// exact. The JSON reader records them on the object that holds them (a non-enumerable symbol, so
// `raw` and JSON.stringify are unchanged); the money code reads them back.
const numberText = Symbol.for("genledger.numberText");

type WithNumberText = { [numberText]?: Record<string, string> };

/** The digits the gateway sent for `holder[key]` when a double could not hold them, else undefined. */
export function exactNumberText(holder: object, key: string): string | undefined {
  return (holder as WithNumberText)[numberText]?.[key];
}

/** Remember the source digits of `holder[key]` (called by the JSON reader). */
export function recordNumberText(holder: object, key: string, text: string): void {
  const h = holder as WithNumberText;
  let texts = h[numberText];
  if (!texts) {
    texts = {};
    Object.defineProperty(holder, numberText, { value: texts, enumerable: false });
  }
  texts[key] = text;
}

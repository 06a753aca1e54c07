// A server-sent event reader fed the bytes of a stream as they pass (WHATWG "event stream"
// interpretation: `data:` lines joined by "\n", `event:` names, comments, any line ending). It only
// reads: the bytes themselves go on to the SDK untouched.

/** Longest event kept, in characters: a longer one is skipped (a hostile or broken stream). */
export const maxEventChars = 4 * 1024 * 1024;

export class EventStreamReader {
  // Made on first use: a reader fed text (pushText) needs none, and a TextDecoder is not free.
  private decoder: TextDecoder | undefined;
  private rest = "";
  private data = "";
  private hasData = false;
  private event = "";
  private skipping = false;

  constructor(private readonly onEvent: (data: string, event: string) => void) {}

  push(bytes: Uint8Array): void {
    this.decoder ??= new TextDecoder();
    this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  pushText(text: string): void {
    this.feed(text);
  }

  /** The stream ended: an event not closed by a blank line is discarded, as the spec says. */
  end(): void {
    if (this.decoder) this.feed(this.decoder.decode());
    // A "\r" held back as maybe half of "\r\n" ends its line after all.
    if (this.rest.endsWith("\r")) this.line(this.rest.slice(0, -1));
    this.rest = "";
    this.data = "";
    this.hasData = false;
  }

  private feed(chunk: string): void {
    // What was kept holds no line end (but perhaps a final "\r"): the search starts where it ends.
    const from = Math.max(0, this.rest.length - 1);
    let text = this.rest + chunk;
    let start = 0;
    // The next "\n" and "\r" at or after `start`, each searched again only once passed: linear in the text.
    let lf = text.indexOf("\n", from);
    let cr = text.indexOf("\r", from);
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (at < 0) break;
      // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (at === cr && at === text.length - 1) break;
      this.line(text.slice(start, at));
      start = at + (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1);
    }
    text = text.slice(start);
    if (text.length > maxEventChars || this.data.length > maxEventChars) {
      // Drop the oversized event; resume at the next blank line.
      this.skipping = true;
      this.data = "";
      this.hasData = false;
      text = "";
    }
    this.rest = text;
  }

  private line(line: string): void {
    if (line === "") {
      if (this.hasData && !this.skipping) this.onEvent(this.data, this.event);
      this.skipping = false;
      this.data = "";
      this.hasData = false;
      this.event = "";
      return;
    }
    if (this.skipping || line.charCodeAt(0) === 58 /* ":" comment */) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") {
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (field === "event") {
      this.event = value;
    }
  }
}

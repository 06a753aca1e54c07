// A server-sent event reader fed the bytes of a stream as they pass (WHATWG "event stream"
// interpretation: `data:` lines joined by "\n", `event:` names, comments, any line ending). It only
// reads: the bytes themselves go on to the SDK untouched.

/** Longest event kept, in characters: a longer one is skipped (a hostile or broken stream). */
export const maxEventChars = 4 * 1024 * 1024;

export class EventStreamReader {
  // Made on first use: a reader fed text (pushText) needs none, and a TextDecoder is not free.
  private decoder: TextDecoder | undefined;
  /** The pieces of a line not ended yet, each searched once: a long event costs its length, not its square. */
  private pending: string[] = [];
  private pendingLength = 0;
  /** The last chunk ended in "\r": a "\n" first in the next one is the rest of that line end. */
  private afterCr = false;
  private data = "";
  private hasData = false;
  private event = "";
  private skipping = false;

  /**
   * `wants`, when given, names the events worth reading: an event whose `event:` line comes first and is not
   * one of them has its data dropped as it passes (a Responses stream's deltas are never joined).
   */
  constructor(
    private readonly onEvent: (data: string, event: string) => void,
    private readonly wants?: (event: string) => boolean,
  ) {}

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
    this.pending = [];
    this.pendingLength = 0;
    this.afterCr = false;
    this.data = "";
    this.hasData = false;
  }

  private feed(chunk: string): void {
    let start = 0;
    if (this.afterCr && chunk.length > 0) {
      this.afterCr = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    // The next "\n" and "\r" at or after `start`, each searched again only once passed: linear in the chunk.
    let lf = chunk.indexOf("\n", start);
    let cr = chunk.indexOf("\r", start);
    for (;;) {
      if (lf !== -1 && lf < start) lf = chunk.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf("\r", start);
      const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (at < 0) break;
      const piece = chunk.slice(start, at);
      let line: string;
      if (this.pendingLength === 0) line = piece;
      else if (this.skipping)
        line = "-"; // (its text is dropped; only that it was not blank counts)
      else line = this.pending.join("") + piece;
      this.pending = [];
      this.pendingLength = 0;
      this.line(line);
      if (chunk.charCodeAt(at) === 13) {
        if (at + 1 === chunk.length) this.afterCr = true;
        start = at + (chunk.charCodeAt(at + 1) === 10 ? 2 : 1);
      } else start = at + 1;
    }
    if (start < chunk.length) {
      this.pendingLength += chunk.length - start;
      if (!this.skipping) this.pending.push(start === 0 ? chunk : chunk.slice(start));
    }
    if (!this.skipping && (this.pendingLength > maxEventChars || this.data.length > maxEventChars)) {
      // Drop the oversized event; resume at the next blank line.
      this.skipping = true;
      this.pending = [];
      this.data = "";
      this.hasData = false;
    }
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
      if (this.wants && !this.hasData && !this.wants(value)) this.skipping = true;
    }
  }
}

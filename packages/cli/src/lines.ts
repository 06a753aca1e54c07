// Lines of a byte stream, one chunk at a time (the stream's own backpressure holds: nothing is read ahead).

export interface Line {
  text: string;
  /** 1-based. */
  number: number;
  /** Byte offset just past this line (and its newline). */
  end: number;
  /** False for a last line with no newline after it. */
  terminated: boolean;
  /** Longer than `maxLineBytes`: its text is not kept (empty), only that it was there. */
  tooLong?: true;
}

/**
 * The lines of each chunk read, as one array per chunk: a consumer of many short lines (a batch's refs)
 * pays one await per chunk, not one per line. A line across chunks comes with the chunk that ends it.
 */
export async function* lineBatches(
  stream: AsyncIterable<Buffer | string>,
  maxLineBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<Line[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Past maxLineBytes the line's bytes are dropped as they come (memory stays bounded by the limit).
  let skipping = false;
  let offset = 0;
  let number = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    const batch: Line[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
      let text: string;
      if (skipping || pendingBytes + nl - start > maxLineBytes) {
        offset += pendingBytes + nl - start + 1;
        pending = [];
        pendingBytes = 0;
        skipping = false;
        batch.push({ text: "", number: ++number, end: offset, terminated: true, tooLong: true });
        start = nl + 1;
        continue;
      }
      if (pending.length === 0) {
        text = bytes.toString("utf8", start, nl);
        offset += nl - start + 1;
      } else {
        pending.push(bytes.subarray(start, nl));
        const line = Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        text = line.toString("utf8");
        offset += line.length + 1;
      }
      if (text.endsWith("\r")) text = text.slice(0, -1);
      batch.push({ text: number === 0 ? withoutBom(text) : text, number: ++number, end: offset, terminated: true });
      start = nl + 1;
    }
    if (start < bytes.length) {
      if (skipping || pendingBytes + bytes.length - start > maxLineBytes) {
        offset += pendingBytes + bytes.length - start;
        pending = [];
        pendingBytes = 0;
        skipping = true;
      } else {
        pending.push(bytes.subarray(start));
        pendingBytes += bytes.length - start;
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (skipping) {
    yield [{ text: "", number: ++number, end: offset, terminated: false, tooLong: true }];
  } else if (pending.length > 0) {
    const line = Buffer.concat(pending);
    offset += line.length;
    const text = line.toString("utf8");
    yield [{ text: number === 0 ? withoutBom(text) : text, number: ++number, end: offset, terminated: false }];
  }
}

/** A file saved by an editor that writes a byte order mark: the mark is not part of the first line. */
const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export async function* lines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Line> {
  for await (const batch of lineBatches(stream)) yield* batch;
}

// Lines of a byte stream, one at a time (the stream's own backpressure holds: nothing is read ahead).

export interface Line {
  text: string;
  /** 1-based. */
  number: number;
  /** Byte offset just past this line (and its newline). */
  end: number;
  /** False for a last line with no newline after it. */
  terminated: boolean;
}

export async function* lines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let offset = 0;
  let number = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
      pending.push(bytes.subarray(start, nl));
      const line = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
      pending = [];
      offset += line.length + 1;
      yield { text: line.toString("utf8").replace(/\r$/, ""), number: ++number, end: offset, terminated: true };
      start = nl + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) {
    const line = Buffer.concat(pending);
    offset += line.length;
    yield { text: line.toString("utf8"), number: ++number, end: offset, terminated: false };
  }
}

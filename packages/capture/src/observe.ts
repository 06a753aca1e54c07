// A stream passed on as it is, chunk for chunk, while capture looks at each chunk: no chunk is held
// back, reordered or changed, and nothing is read ahead of the consumer (highWaterMark 0).

// A stream its reader drops without reading to the end (a `break` out of the AI SDK's textStream, a
// Response never read) is settled when it is collected, so it does not hold its place for ever.
const dropped =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry<() => void>((finish) => finish()) : undefined;

/**
 * `stream`, observed: `see` for each chunk before it is handed on, then `end` once, when the stream
 * ends, fails (`error`), is cancelled by its reader, its `signal` aborts, or it is dropped unread
 * (`cancelled`). Neither callback may throw into the stream.
 */
export function observe<T>(
  stream: ReadableStream<T>,
  see: (chunk: T) => void,
  end: (outcome: "done" | "error" | "cancelled") => void,
  signal?: AbortSignal | null,
): ReadableStream<T> {
  const reader = stream.getReader();
  let ended = false;
  let finish = (outcome: "done" | "error" | "cancelled") => {
    if (ended) return;
    ended = true;
    try {
      end(outcome);
    } catch {
      // capture reports its own failures; none may reach the reader
    }
  };
  const observed = new ReadableStream<T>(
    {
      // Not `async`: one promise per chunk, the read's own.
      pull(controller) {
        return reader.read().then(
          (next) => {
            if (next.done) {
              finish("done");
              controller.close();
              return;
            }
            try {
              see(next.value);
            } catch {
              // as above
            }
            controller.enqueue(next.value);
          },
          (error: unknown) => {
            finish("error");
            controller.error(error);
          },
        );
      },
      cancel(reason) {
        finish("cancelled");
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  if (signal) {
    if (signal.aborted) finish("cancelled");
    else {
      // One listener per call on what may be an app-wide signal: removed when the call ends.
      const onAbort = () => finish("cancelled");
      signal.addEventListener("abort", onAbort, { once: true });
      const settled = finish;
      finish = (outcome) => {
        signal.removeEventListener("abort", onAbort);
        settled(outcome);
      };
    }
  }
  // The held value must not reach `observed`, or it would never be collected. A body dropped unread lets
  // go of the gateway's stream too (its socket): the reader's lock would keep fetch from freeing it.
  dropped?.register(observed, () => {
    finish("cancelled");
    reader.cancel().catch(() => undefined);
  });
  return observed;
}

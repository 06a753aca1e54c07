// Capture's writes to its store: refs queued before their lookups start (an exit in between loses nothing),
// records put as they come; one write at a time, each taking everything that came meanwhile.
import type { GenerationRef } from "@genledger/normalize";
import { CaptureError } from "./capture-error.js";
import type { CapturedCall, CaptureRecord, CaptureStore, Held } from "./types.js";

export interface StoreWriterHooks {
  /** A held call's ref is written (or was refused: the lookup runs anyway). */
  queued(held: Held): void;
  /** A write was refused. */
  refused(error: CaptureError): void;
  /** Nothing is being written any more. */
  settled(): void;
}

export class StoreWriter {
  private readonly toQueue: Held[] = [];
  private readonly toPut: CaptureRecord[] = [];
  /** The write in progress, while there is one. */
  writing: Promise<void> | undefined;

  constructor(
    private readonly store: CaptureStore,
    private readonly hooks: StoreWriterHooks,
  ) {}

  /** Held calls whose refs are not written yet. */
  get waiting(): number {
    return this.toQueue.length;
  }

  queueRef(held: Held): void {
    this.toQueue.push(held);
    this.write();
  }

  putRecord(record: CaptureRecord): void {
    this.toPut.push(record);
    this.write();
  }

  /**
   * One write at a time, each taking everything that came meanwhile: refs queued first, then records
   * (so a final record is never followed by its ref queued again). A call's lookup starts once its ref
   * is written, or once the store has refused it (reported; the lookup still runs).
   */
  private write(): void {
    const store = this.store;
    if (this.writing) return;
    this.writing = (async () => {
      while (this.toQueue.length > 0 || this.toPut.length > 0) {
        const queued = this.toQueue.splice(0);
        const records = this.toPut.splice(0);
        if (queued.length > 0) {
          const items = queued.map((h) => ({
            ref: h.call.ref as GenerationRef,
            tags: h.call.tags,
            reason: "captured",
          }));
          await this.writeEach(
            items,
            (part) => store.enqueue(part),
            queued.map((h) => h.call),
            "queue",
          );
          for (const held of queued) this.hooks.queued(held);
        }
        if (records.length > 0) {
          const items = records.map((r) => ({ generation: r.generation, tags: r.tags }));
          await this.writeEach(
            items,
            (part) => store.put(part),
            records.map((r) => r.call),
            "put",
          );
        }
      }
    })().finally(() => {
      this.writing = undefined;
      this.hooks.settled();
    });
  }

  /**
   * Writes `items` (of `calls`, in order) in one go. A batch the store refuses for one bad item's sake
   * (`invalid-record`) is written again item by item, so that one call's bad data costs no other call its
   * record; any other refusal (the database is down) is reported once for the batch.
   */
  private async writeEach<T>(
    items: T[],
    write: (items: T[]) => Promise<unknown>,
    calls: CapturedCall[],
    what: "queue" | "put",
  ): Promise<void> {
    try {
      await write(items);
    } catch (error) {
      if (items.length > 1 && (error as { code?: unknown })?.code === "invalid-record") {
        for (let i = 0; i < items.length; i++) {
          await this.writeEach([items[i] as T], write, [calls[i] as CapturedCall], what);
        }
        return;
      }
      const call = calls[0] as CapturedCall;
      const count = items.length;
      const message = (error as Error)?.message ?? String(error);
      this.hooks.refused(
        new CaptureError(
          "store-failed",
          call,
          `capture: the store refused to ${what} ${count} ${what === "queue" ? "ref" : "record"}${count === 1 ? "" : "s"}: ${message}`,
          { cause: error },
        ),
      );
    }
  }
}

// When each held call is looked up again: not there yet, 0.5 s, 1 s, 2 s ... 8 s apart (core's backoff);
// billing pending, every 30 s; never past the call's deadline. One timer for all of them, which never keeps
// a process alive (flush is how to wait).
import { backoffMs } from "@genledger/core/internal";
import { DueQueue } from "./queue.js";
import type { Held } from "./types.js";

/** Capture's timers never keep a process alive: Node's and Bun's `unref`, Deno's `Deno.unrefTimer`. */
export function unref(timer: ReturnType<typeof setTimeout>): void {
  if (typeof (timer as { unref?: unknown }).unref === "function") (timer as unknown as { unref(): void }).unref();
  else (globalThis as { Deno?: { unrefTimer?(id: unknown): void } }).Deno?.unrefTimer?.(timer);
}

export class Rechecks {
  private readonly due = new DueQueue<Held>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = Number.POSITIVE_INFINITY;

  /** `onDue` runs when the earliest re-check comes due. */
  constructor(private readonly onDue: () => void) {}

  get size(): number {
    return this.due.size;
  }

  /** Schedules `held`'s next lookup; false when it would fall past its deadline (it is not scheduled). */
  schedule(held: Held, billingPending: boolean): boolean {
    held.attempts++;
    const delay = billingPending ? 30_000 : backoffMs(held.attempts - 1);
    const now = Date.now();
    if (now >= held.deadline) return false;
    this.due.push(Math.min(now + delay, held.deadline), held);
    return true;
  }

  /** The next held call due by `now`, or undefined. */
  popDue(now: number): Held | undefined {
    return this.due.popDue(now);
  }

  /** Sets the one timer for the earliest re-check (none when none is scheduled). */
  arm(): void {
    const due = this.due.nextDue;
    if (due === undefined) {
      this.stop();
      return;
    }
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDue = Number.POSITIVE_INFINITY;
        this.onDue();
      },
      Math.max(0, due - Date.now()),
    );
    unref(this.timer);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  /** Every call still scheduled, unscheduled. */
  drain(): Held[] {
    return this.due.drain();
  }
}

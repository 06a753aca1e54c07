// One limiter per gateway and key, shared by every request a client sends. A 429 pauses every request
// until the instant the gateway asked for, then the limiter lets them go at a pace: the one the caller
// gave (`rateLimit`), the one the gateway states (`x-ratelimit-*`), or one learned from the 429s
// themselves (slow start, a cut on each new 429, cautious growth), so that 429s stay rare.
import { parseRetryAfter, parseStatedLimit } from "./headers.js";
import { checkOptions, maxJobWaitMs, maxRetryDelayMs, maxTimeoutMs } from "./options.js";
import type { RateLimitOptions, RateLimitState } from "./types.js";

// The numbers the limiter works with are written where they are used: answers are counted per 100 ms
// slot over two seconds (20 slots); a measured pace is held 5 ms per ms of the window it was measured
// over, at most 30 s; a learned pace is never under 0.5 a second (it cannot stall a job); a learned or
// stated pace has a burst of 2 (it may catch up one request a timer fired late for, no more); a 429 that
// asks for nothing pauses 250 ms, doubling per new burst of them; a reset more than a day away is not
// read; a window keeps at most 20000 send times, whose error is about 50 ms.

/** The `rateLimit` option, checked by the one option checker: a typo, NaN, a negative rate or a fractional burst is refused. */
export function checkRateLimit(value: unknown, what = "rateLimit"): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  checkOptions(what, value, { requestsPerSecond: [0.01, 100_000], burst: [1, 10_000, 1] });
  return value as RateLimitOptions;
}

/**
 * The slowest refill pace (requests a second) of a token bucket of `burst`, full at the first send, that
 * would have taken every request sent before `refusedAt`: the gateway's pace, read from its first refusal.
 */
export function paceFromWindow(sent: readonly number[], refusedAt: number, burst: number): number | undefined {
  const before = sent.filter((t) => t < refusedAt);
  const passes = (pace: number) => {
    let level = burst;
    let at = before[0] as number;
    return before.every((t) => {
      level = Math.min(burst, level + (pace * (t - at)) / 1000);
      at = t;
      return !(level-- < 1 - 1e-9);
    });
  };
  let low = 0;
  let high = 100_000;
  if (before.length <= burst || !passes(high)) return undefined;
  for (let i = 0; i < 40 && high - low > 0.01; i++) {
    const mid = (low + high) / 2;
    if (passes(mid)) high = mid;
    else low = mid;
  }
  return high;
}

interface Waiter {
  deadline: number | undefined;
  /** Lets the request go, or fails it with `tooLate(next)` when given the instant it could go. */
  done(next?: number): void;
}

export interface AcquireOptions {
  signal?: AbortSignal | undefined;
  /** Epoch ms: waiting past it rejects with `tooLate(instant)` at once. Default: no deadline. */
  deadline?: number | undefined;
  aborted(): Error;
  tooLate(waitUntil: number): Error;
}

export class RateLimiter {
  /** The caller's pace, which no pace exceeds (infinite when none was given). */
  readonly #configured: number;
  #rate: number | undefined;
  #burst: number;
  #tokens: number;
  #refilledAt: number;
  #source: RateLimitState["source"] = "none";
  /** In slow start: the pace doubles every 250 ms while requests wait. */
  #starting = false;
  /** No growth before this instant (after a measured cut). */
  #holdUntil = 0;
  /** Until when every request waits (0 when none did); so also when the last pause ended (or ends). */
  #pausedUntil = 0;
  #cutAt = -1;
  /**
   * When each request since the last cut was sent (epoch ms), in order: the window that ends at the next
   * refused one. Undefined once too many to keep.
   */
  #sent: number[] | undefined = [];
  /** The gateway's burst: what it took before its first refusal (infinite, measuring nothing, until known). */
  #gatewayBurst = 1 / 0;
  #ownPauseMs = 250;
  #trustHeaders = true;
  #inFlight = 0;
  #requests = 0;
  #rateLimited = 0;
  /** The slot (when it began) each answer other than 429 of the last two seconds was counted in, in order. */
  readonly #accepted: number[] = [];
  /** When the current slot began (a multiple of 100 ms). */
  #slotAt = 0;
  readonly #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending timer fires; undefined when none is pending. */
  #timerAt: number | undefined;
  readonly #now: () => number;

  constructor(options: RateLimitOptions = {}, now: () => number = Date.now) {
    this.#now = now;
    const rate = options.requestsPerSecond;
    this.#rate = rate;
    this.#configured = rate ?? 1 / 0;
    this.#tokens = this.#burst = options.burst ?? 1;
    this.#refilledAt = now();
    if (rate !== undefined) this.#source = "option";
  }

  state(): RateLimitState {
    const paused = this.#pausedUntil;
    return {
      requests: this.#requests,
      rateLimited: this.#rateLimited,
      rate: this.#rate,
      source: this.#source,
      pausedUntil: paused > this.#now() ? paused : undefined,
      waiting: this.#queue.length,
    };
  }

  /** Until when every request waits (0 when none does). */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /**
   * Resolves when a request may go (undefined when it may go now: no promise on the fast path); rejects
   * with `aborted()` when the signal fires, or with `tooLate(instant)` once the wait would pass the deadline.
   */
  acquire(options: AcquireOptions): Promise<void> | undefined {
    const now = this.#now();
    const queue = this.#queue;
    if (!queue.length && this.#take(now)) return undefined;
    // No deadline (undefined) fails every comparison, as an infinite one would.
    const { deadline, signal } = options;
    const next = queue.length ? this.#pausedUntil : this.#nextAt(now);
    if (next > (deadline as number)) return Promise.reject(options.tooLate(next));
    if (signal?.aborted) return Promise.reject(options.aborted());
    return new Promise<void>((resolve, reject) => {
      // A waiter is queued exactly while its abort listener is on.
      const onAbort = () => {
        queue.splice(queue.indexOf(waiter), 1);
        reject(options.aborted());
        this.#schedule();
      };
      const waiter: Waiter = {
        deadline,
        done(next) {
          signal?.removeEventListener("abort", onAbort);
          if (next === undefined) resolve();
          else reject(options.tooLate(next));
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(waiter);
      this.#schedule();
    });
  }

  /**
   * A request sent at `sentAt` was answered (`status` and `headers`) or failed without an answer. For a
   * 429, returns the instant before which it must not be sent again: what the gateway asked, or the
   * limiter's own pause when it asked nothing.
   */
  settle(sentAt: number, answer?: { status: number; headers: Headers }): number {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (!answer) return 0;
    const now = this.#now();
    const { headers } = answer;
    const { remaining, resetAt } = parseStatedLimit(headers, now) ?? {};
    if (answer.status !== 429) {
      this.#accepted.push(this.#slot(now));
      this.#ownPauseMs = 250;
      // Spread what the gateway says is left of its window over the time to its reset.
      if (this.#trustHeaders && remaining !== undefined && (resetAt as number) > now) {
        const room = remaining - this.#inFlight;
        const seconds = ((resetAt as number) - now) / 1000;
        this.#refill(now);
        if (room > 0) {
          this.#rate = Math.min(room / seconds, this.#configured);
          this.#tokens = Math.min(this.#tokens, 1);
        } else {
          this.#rate = Math.max(0.5, 1 / seconds);
          this.#tokens = 0;
        }
        this.#source = "headers";
        this.#burst = 2;
        this.#starting = false;
        this.#schedule();
      }
      return 0;
    }
    this.#rateLimited++;
    const asked = parseRetryAfter(headers, now);
    const until =
      asked !== undefined ? now + asked : remaining === 0 && resetAt !== undefined ? resetAt : now + this.#ownPauseMs;
    // A wait no job could sit out is a quota, not a busy gateway: the requests waiting now fail at once
    // with it (each its `retryAfterMs`), and the limiter is not paused, so the next caller asks again.
    if (until - now > maxJobWaitMs) {
      for (const waiter of this.#queue.splice(0)) waiter.done(until);
      this.#schedule();
      return until;
    }
    const headed = this.#source === "headers";
    // The gateway stated room it did not give: its headers are not a limit to pace to.
    if (headed && remaining !== 0) this.#trustHeaders = false;
    // One cut per burst of 429s; none while the headers the gateway states are trusted (they pace).
    if (sentAt > this.#cutAt && !(headed && this.#trustHeaders)) {
      // The cut. The first: what got through in the last second, then slow start (doubling every 250 ms
      // while requests wait); what got through before that first refusal is the gateway's burst. Each
      // later window between pauses starts with the gateway's bucket full, so the send times up to its
      // refusal give the gateway's pace (`paceFromWindow`): paced a little under it, held a while (each
      // 429 costs every request a pause), then grown slowly. Where a window says nothing sound, the cut
      // falls back to what got through lately. A gateway that took nothing starts slow again.
      this.#refill(now);
      const before = this.#rate;
      const got = this.#acceptedPerSecond(now, 1);
      const sent = this.#sent;
      this.#sent = [];
      const measured = paceFromWindow(sent ?? [], sentAt, this.#gatewayBurst);
      const starting = this.#starting;
      this.#starting = before === undefined || this.#acceptedPerSecond(now, 2) < 1;
      let rate: number;
      if (before === undefined) {
        // Sends that went at once (within 100 ms) measure the gateway's burst, not its pace: what got
        // through. Slow start then begins at four times it, so that one round of doubling finds (and
        // measures) the pace, not four. Otherwise the burst is what was sent before the refusal.
        const atOnce = sent !== undefined && sentAt - (sent[0] ?? sentAt) < 100;
        rate = atOnce ? got * 4 : got;
        if (sent) {
          const before = sent.filter((t) => t < sentAt).length;
          this.#gatewayBurst = Math.max(1, atOnce ? Math.round(got) : before);
        }
      } else if (measured !== undefined) {
        // (Also at the end of slow start: the window since the first contact's pause starts with the
        // gateway's bucket full, so it measures the pace as well as any later one.)
        // The measured pace is the slowest the gateway could have and still have taken every send: never
        // above its own. Paced just under it and held 30 s, so that no probe past it costs a job a pause.
        rate = Math.max(before / 4, Math.min(before, measured * 0.99));
        this.#holdUntil = now + 30_000;
      } else if (this.#starting) rate = before / 2;
      else if (starting) {
        // The pace when the refused request went (it has doubled every 250 ms since), less the overshoot
        // that emptied the gateway's burst first.
        const then = before * 2 ** (-Math.max(0, now - sentAt) / 250);
        rate = Math.max(got, Math.min(then * 0.65, this.#acceptedPerSecond(now, 0.5)));
      } else {
        // Measured since the last pause ended (a pause is not the gateway's pace), over two seconds at most.
        const span = Math.min(2, (now - this.#pausedUntil) / 1000);
        if (span >= 0.5) {
          rate = Math.max(before / 2, Math.min(before, this.#acceptedPerSecond(now, span) * 0.95));
          this.#holdUntil = now + 15_000;
        } else rate = before * 0.9;
      }
      this.#rate = Math.max(0.5, Math.min(rate, this.#configured));
      if (this.#source !== "option") {
        this.#source = "learned";
        this.#burst = 2;
        this.#trustHeaders = false;
      }
      this.#tokens = Math.min(this.#tokens, 1);
      this.#cutAt = now;
      // Its own pause grows with each new burst of 429s that nothing got through between.
      if (asked === undefined) this.#ownPauseMs = Math.min(this.#ownPauseMs * 2, maxRetryDelayMs);
    }
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    this.#schedule();
    return until;
  }

  /** Takes a token when one is there and no pause holds; counts the request as sent. */
  #take(now: number): boolean {
    if (now < this.#pausedUntil) return false;
    if (this.#rate !== undefined) {
      this.#refill(now);
      if (this.#tokens < 1) return false;
      this.#tokens--;
    }
    this.#inFlight++;
    this.#requests++;
    if ((this.#sent?.push(now) as number) > 20_000) this.#sent = undefined;
    return true;
  }

  #refill(now: number): void {
    const from = this.#refilledAt;
    const rate = this.#rate;
    this.#refilledAt = now;
    if (rate === undefined || now <= from) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + (rate * (now - from)) / 1000);
    // Grows only while requests wait for it (a pace nobody uses proves nothing), and never over a pause.
    const dt = now - Math.max(from, this.#pausedUntil);
    if (this.#queue.length && dt > 0 && this.#source !== "headers") {
      this.#rate = Math.min(
        this.#starting
          ? rate * 2 ** (dt / 250)
          : now < this.#holdUntil
            ? rate
            : rate * (1 + ((this.#holdUntil ? 0.01 : 0.05) * dt) / 1000),
        this.#configured,
      );
    }
  }

  /** Moves the current 100 ms slot on to `now`, and forgets answers counted over two seconds (20 slots) ago. */
  #slot(now: number): number {
    const steps = Math.floor((now - this.#slotAt) / 100);
    if (steps > 0) this.#slotAt += steps * 100;
    const accepted = this.#accepted;
    while ((accepted[0] as number) <= this.#slotAt - 2000) accepted.shift();
    return this.#slotAt;
  }

  /** Answers other than 429 a second, over the last `seconds` (at most 2, in tenths): the last `n` slots. */
  #acceptedPerSecond(now: number, seconds: number): number {
    const n = Math.max(1, Math.min(20, Math.round(seconds * 10)));
    const from = this.#slot(now) - n * 100;
    return this.#accepted.filter((slot) => slot > from).length / (n / 10);
  }

  /** Lets waiting requests go as the pause and the pace allow, and fails those whose deadline came. */
  #drain = (): void => {
    this.#timerAt = undefined;
    const now = this.#now();
    const queue = this.#queue;
    while (queue.length && this.#take(now)) queue.shift()!.done();
    // A request that could go only after its deadline fails now, not at the deadline.
    const next = this.#nextAt(now);
    for (let i = queue.length; i-- > 0; ) {
      const waiter = queue[i]!;
      if ((waiter.deadline as number) < next) {
        queue.splice(i, 1);
        waiter.done(next);
      }
    }
    this.#schedule();
  };

  /** When the first waiting request can go: after the pause, with a whole token. */
  #nextAt(now: number): number {
    const from = Math.max(now, this.#pausedUntil);
    if (this.#rate === undefined) return from;
    this.#refill(now);
    const tokens = Math.min(this.#burst, this.#tokens + (this.#rate * (from - now)) / 1000);
    return tokens >= 1 ? from : from + ((1 - tokens) * 1000) / this.#rate;
  }

  #schedule(): void {
    const queue = this.#queue;
    const now = this.#now();
    let at: number | undefined;
    if (queue.length) {
      at = this.#nextAt(now);
      for (const waiter of queue) if ((waiter.deadline as number) < at) at = Math.max(now, waiter.deadline as number);
      // (Undefined, with no timer pending, fails the comparison.)
      if ((this.#timerAt as number) <= at) return;
    }
    clearTimeout(this.#timer);
    this.#timerAt = at;
    // setTimeout takes at most 2^31 - 1 ms (a longer delay fires at once); the drain re-arms it. (`at` is
    // never before `now`.)
    if (at !== undefined) this.#timer = setTimeout(this.#drain, Math.min(maxTimeoutMs, Math.ceil(at - now)));
  }
}

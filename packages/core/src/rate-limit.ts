// One limiter per gateway and key, shared by every request a client sends. A 429 pauses every request
// until the instant the gateway asked for, then the limiter lets them go at a pace: the one the caller
// gave (`rateLimit`), the one the gateway states (`x-ratelimit-*`), or one learned from the 429s
// themselves (slow start, a cut on each new 429, cautious growth), so that 429s stay rare.
import { InvalidArgumentError } from "./errors.js";
import { closest } from "./options.js";
import { maxRetryDelayMs, parseRetryAfter } from "./retry.js";

export interface RateLimitOptions {
  /** Your plan's limit: requests are paced to it from the first one (429s still cut it). */
  requestsPerSecond?: number | undefined;
  /** How many may go at once before the pace applies. Default 1. */
  burst?: number | undefined;
}

/** What a client's limiter knows now (`client.rateLimit()`, `ledger.stats()`). */
export interface RateLimitState {
  /** Requests let through. */
  requests: number;
  /** 429 answers met. */
  rateLimited: number;
  /** The pace in requests a second; undefined while no limit is known (only concurrency bounds). */
  rate: number | undefined;
  /** Where the pace comes from. */
  source: "none" | "option" | "headers" | "learned";
  /** Until when (epoch ms) the gateway asked every request to wait; undefined when it did not. */
  pausedUntil: number | undefined;
  /** Requests waiting for their turn. */
  waiting: number;
}

/** The limits a response states: `x-ratelimit-*`, OpenAI's `x-ratelimit-*-requests`, or the IETF `ratelimit-*`. */
export interface StatedLimit {
  limit?: number | undefined;
  remaining?: number | undefined;
  /** Epoch ms. */
  resetAt?: number | undefined;
}

const slotMs = 100;
const slots = 20; // two seconds of accepted answers
/** How long a measured pace is held before it grows again, per ms of the window it was measured over. */
const holdPerWindowMs = 5;
const maxHoldMs = 30_000;
/** Never slower than this (requests a second): a learned pace cannot stall a job. */
const minRate = 0.5;
const firstOwnPauseMs = 250;
const day = 86_400_000;
/** A learned or stated pace may catch up one request a timer fired late for, no more. */
const pacedBurst = 2;

const names = {
  limit: ["x-ratelimit-limit", "x-ratelimit-limit-requests", "ratelimit-limit"],
  remaining: ["x-ratelimit-remaining", "x-ratelimit-remaining-requests", "ratelimit-remaining"],
  reset: ["x-ratelimit-reset", "x-ratelimit-reset-requests", "ratelimit-reset"],
};

function first(headers: Headers, list: string[]): string | undefined {
  for (const name of list) {
    const value = headers.get(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * The reset instant a header states: epoch ms (OpenRouter), epoch seconds, seconds from now (IETF), or a
 * duration such as `1s`, `6m0s`, `20ms` (OpenAI). Undefined when unreadable or not within a day.
 */
export function parseReset(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  let at: number | undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    at = n >= 1e12 ? n : n >= 1e9 ? n * 1000 : now + n * 1000;
  } else {
    const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(value);
    if (m && value !== "") {
      const [, h, min, s, ms] = m;
      at = now + Number(h ?? 0) * 3_600_000 + Number(min ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
    }
  }
  return at !== undefined && at > now - 1000 && at <= now + day ? Math.max(at, now) : undefined;
}

export function parseStatedLimit(headers: Headers, now = Date.now()): StatedLimit | undefined {
  const count = (list: string[]) => {
    const value = first(headers, list);
    return value && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const remaining = count(names.remaining);
  const resetAt = parseReset(first(headers, names.reset), now);
  if (remaining === undefined && resetAt === undefined) return undefined;
  return { limit: count(names.limit), remaining, resetAt };
}

export function checkRateLimit(value: unknown, source: string): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) {
    throw new InvalidArgumentError(`${source} must be an object such as { requestsPerSecond: 10 }`);
  }
  for (const name of Object.keys(value)) {
    if (name !== "requestsPerSecond" && name !== "burst") {
      const near = closest(name, ["requestsPerSecond", "burst"]);
      throw new InvalidArgumentError(
        `unknown key \`${name}\` in ${source}${near ? `: did you mean \`${near}\`?` : " (requestsPerSecond, burst)"}`,
      );
    }
  }
  const { requestsPerSecond: rps, burst } = value as RateLimitOptions;
  if (rps !== undefined && !(typeof rps === "number" && Number.isFinite(rps) && rps >= 0.01 && rps <= 100_000)) {
    throw new InvalidArgumentError(`${source}.requestsPerSecond must be a number from 0.01 to 100000, got ${rps}`);
  }
  if (burst !== undefined && !(Number.isInteger(burst) && (burst as number) >= 1 && (burst as number) <= 10_000)) {
    throw new InvalidArgumentError(`${source}.burst must be a whole number from 1 to 10000, got ${burst}`);
  }
  return value as RateLimitOptions;
}

/** Send times kept a window: past this the window measures nothing (a minute at a fast pace). */
const maxWindow = 20_000;
/** How far a send time may sit from when the gateway saw it (ms): the error of a window's pace. */
const sendNoiseMs = 50;

/**
 * The slowest refill pace (requests a second) of a token bucket of `burst`, full at the first send, that
 * would have taken every request sent before `refusedAt`: the gateway's pace, read from its first refusal.
 */
export function paceFromWindow(sent: readonly number[], refusedAt: number, burst: number): number | undefined {
  const before = sent.filter((t) => t < refusedAt);
  if (before.length <= burst) return undefined;
  const passes = (pace: number) => {
    let level = burst;
    let at = before[0] as number;
    for (const t of before) {
      level = Math.min(burst, level + (pace * (t - at)) / 1000);
      at = t;
      if (level < 1 - 1e-9) return false;
      level -= 1;
    }
    return true;
  };
  let low = 0;
  let high = 100_000;
  if (!passes(high)) return undefined;
  for (let i = 0; i < 40 && high - low > 0.01; i++) {
    const mid = (low + high) / 2;
    if (passes(mid)) high = mid;
    else low = mid;
  }
  return high;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  deadline: number;
  tooLate(waitUntil: number): Error;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export interface AcquireOptions {
  signal?: AbortSignal | undefined;
  /** Epoch ms: waiting past it rejects with `tooLate(instant)` at once. Default: no deadline. */
  deadline?: number | undefined;
  aborted(): Error;
  tooLate(waitUntil: number): Error;
}

export class RateLimiter {
  #configured: number | undefined;
  #rate: number | undefined;
  #burst: number;
  #tokens: number;
  #refilledAt: number;
  #source: RateLimitState["source"];
  #phase: "free" | "start" | "avoid" = "free";
  /** No growth before this instant (after a measured cut). */
  #holdUntil = 0;
  /** When the last pause ended (or ends). */
  #resumedAt = 0;
  #pausedUntil = 0;
  #cutAt = -1;
  /**
   * When each request since the last cut was sent (epoch ms), in order: the window that ends at the next
   * refused one. Undefined once too many to keep.
   */
  #sent: number[] | undefined = [];
  /** The gateway's burst: what it took before its first refusal. */
  #gatewayBurst: number | undefined;
  #ownPauseMs = firstOwnPauseMs;
  #trustHeaders = true;
  #inFlight = 0;
  #requests = 0;
  #rateLimited = 0;
  #accepted = new Array<number>(slots).fill(0);
  #slot = 0;
  #slotAt = 0;
  readonly #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #now: () => number;

  constructor(options: RateLimitOptions = {}, now: () => number = Date.now) {
    this.#now = now;
    this.#configured = options.requestsPerSecond;
    this.#rate = options.requestsPerSecond;
    this.#burst = options.burst ?? 1;
    this.#tokens = this.#burst;
    this.#refilledAt = now();
    this.#source = this.#rate === undefined ? "none" : "option";
    if (this.#rate !== undefined) this.#phase = "avoid";
  }

  state(): RateLimitState {
    const now = this.#now();
    return {
      requests: this.#requests,
      rateLimited: this.#rateLimited,
      rate: this.#rate,
      source: this.#source,
      pausedUntil: this.#pausedUntil > now ? this.#pausedUntil : undefined,
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
    if (this.#queue.length === 0 && now >= this.#pausedUntil && this.#take(now)) return undefined;
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    const next = this.#queue.length === 0 ? this.#nextAt(now) : this.#pausedUntil;
    if (next > deadline) return Promise.reject(options.tooLate(next));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(options.aborted());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, deadline, tooLate: options.tooLate, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          reject(options.aborted());
          this.#schedule();
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
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
    const stated = parseStatedLimit(answer.headers, now);
    if (answer.status !== 429) {
      this.#count(now);
      this.#ownPauseMs = firstOwnPauseMs;
      if (stated && this.#trustHeaders) this.#paceTo(stated, now);
      return 0;
    }
    this.#rateLimited++;
    const asked = parseRetryAfter(answer.headers, now);
    let until: number;
    if (asked !== undefined) until = now + asked;
    else if (stated?.remaining === 0 && stated.resetAt !== undefined) until = stated.resetAt;
    else until = now + this.#ownPauseMs;
    // The gateway stated room it did not give: its headers are not a limit to pace to.
    if (this.#source === "headers" && stated?.remaining !== 0) this.#trustHeaders = false;
    // One cut per burst of 429s; none while the headers the gateway states are trusted (they pace).
    if (sentAt > this.#cutAt && !(this.#source === "headers" && this.#trustHeaders)) {
      this.#cut(now, sentAt);
      // Its own pause grows with each new burst of 429s that nothing got through between.
      if (asked === undefined) this.#ownPauseMs = Math.min(this.#ownPauseMs * 2, maxRetryDelayMs);
    }
    if (until > this.#pausedUntil) this.#pausedUntil = this.#resumedAt = until;
    this.#schedule();
    return until;
  }

  /**
   * The pace after a new 429. The first: what got through in the last second, then slow start (doubling
   * every 250 ms while requests wait); what got through before that first refusal is the gateway's burst.
   * Each later window between pauses starts with the gateway's bucket full, so the send times up to its
   * refusal give the gateway's pace (`paceFromWindow`): paced a little under it, held a while (each 429
   * costs every request a pause), then grown slowly. Where a window says nothing sound, the cut falls
   * back to what got through lately. A gateway that took nothing starts slow again.
   */
  #cut(now: number, sentAt: number): void {
    this.#refill(now);
    const before = this.#rate;
    const got = this.#acceptedPerSecond(now, 1);
    const sent = this.#sent;
    this.#sent = [];
    const measured =
      sent && this.#gatewayBurst !== undefined ? paceFromWindow(sent, sentAt, this.#gatewayBurst) : undefined;
    let rate: number;
    if (before === undefined) {
      rate = got;
      this.#phase = "start";
      if (sent) this.#gatewayBurst = Math.max(1, sent.filter((t) => t < sentAt).length);
    } else if (this.#acceptedPerSecond(now, 2) < 1) {
      rate = before / 2;
      this.#phase = "start";
    } else if (measured !== undefined) {
      // A short window measures loosely: paced further under it, and held less, so that a pace it set
      // too low soon grows back.
      const span = sentAt - (sent?.[0] ?? sentAt);
      const margin = Math.max(0.95, Math.min(0.99, 1 - sendNoiseMs / Math.max(1, span)));
      rate = Math.max(before / 4, Math.min(before, measured * margin));
      this.#phase = "avoid";
      this.#holdUntil = now + Math.min(maxHoldMs, Math.max(2000, span * holdPerWindowMs));
    } else if (this.#phase === "start") {
      // The pace when the refused request went (it has doubled every 250 ms since), less the overshoot
      // that emptied the gateway's burst first.
      const then = before * 2 ** (-Math.max(0, now - sentAt) / 250);
      rate = Math.max(got, Math.min(then * 0.65, this.#acceptedPerSecond(now, 0.5)));
      this.#phase = "avoid";
    } else {
      // Measured since the last pause ended (a pause is not the gateway's pace), over two seconds at most.
      const span = Math.min(2, (now - this.#resumedAt) / 1000);
      if (span >= 0.5) {
        rate = Math.max(before / 2, Math.min(before, this.#acceptedPerSecond(now, span) * 0.95));
        this.#holdUntil = now + maxHoldMs / 2;
      } else rate = before * 0.9;
    }
    this.#rate = Math.max(minRate, this.#configured === undefined ? rate : Math.min(rate, this.#configured));
    if (this.#source !== "option") {
      this.#source = "learned";
      this.#burst = pacedBurst;
    }
    this.#tokens = Math.min(this.#tokens, 1);
    this.#cutAt = now;
  }

  /** Spread what the gateway says is left of its window over the time to its reset. */
  #paceTo(stated: StatedLimit, now: number): void {
    if (stated.remaining === undefined || stated.resetAt === undefined || stated.resetAt <= now) return;
    if (this.#source === "learned") return;
    const room = stated.remaining - this.#inFlight;
    const seconds = (stated.resetAt - now) / 1000;
    this.#refill(now);
    if (room <= 0) {
      this.#rate = Math.max(minRate, 1 / seconds);
      this.#tokens = 0;
    } else {
      const rate = room / seconds;
      this.#rate = this.#configured === undefined ? rate : Math.min(rate, this.#configured);
      this.#tokens = Math.min(this.#tokens, 1);
    }
    this.#source = "headers";
    this.#burst = pacedBurst;
    this.#phase = "avoid";
    this.#schedule();
  }

  /** Takes a token when one is there; counts the request as sent. */
  #take(now: number): boolean {
    if (this.#rate !== undefined) {
      this.#refill(now);
      if (this.#tokens < 1) return false;
      this.#tokens -= 1;
    }
    this.#inFlight++;
    this.#requests++;
    if (this.#sent) {
      if (this.#sent.length < maxWindow) this.#sent.push(now);
      else this.#sent = undefined;
    }
    return true;
  }

  #refill(now: number): void {
    const from = this.#refilledAt;
    this.#refilledAt = now;
    const rate = this.#rate;
    if (rate === undefined || now <= from) return;
    this.#tokens = Math.min(this.#burst, this.#tokens + (rate * (now - from)) / 1000);
    // Grows only while requests wait for it (a pace nobody uses proves nothing), and never over a pause.
    const dt = now - Math.max(from, this.#pausedUntil);
    if (this.#queue.length === 0 || dt <= 0 || this.#source === "headers") return;
    let grown: number;
    if (this.#phase === "start") grown = rate * 2 ** (dt / 250);
    else if (now < this.#holdUntil) grown = rate;
    else grown = rate * (1 + ((this.#holdUntil ? 0.01 : 0.05) * dt) / 1000);
    this.#rate = this.#configured === undefined ? grown : Math.min(grown, this.#configured);
  }

  #count(now: number): void {
    this.#rotate(now);
    this.#accepted[this.#slot] = (this.#accepted[this.#slot] as number) + 1;
  }

  /** Answers other than 429 a second, over the last `seconds` (at most 2, in tenths). */
  #acceptedPerSecond(now: number, seconds: number): number {
    this.#rotate(now);
    const n = Math.max(1, Math.min(slots, Math.round(seconds * 10)));
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.#accepted[(this.#slot - i + slots) % slots] as number;
    return sum / (n / 10);
  }

  #rotate(now: number): void {
    const steps = Math.floor((now - this.#slotAt) / slotMs);
    if (steps <= 0) return;
    for (let i = 0; i < Math.min(steps, slots); i++) {
      this.#slot = (this.#slot + 1) % slots;
      this.#accepted[this.#slot] = 0;
    }
    this.#slotAt += steps * slotMs;
  }

  /** Lets waiting requests go as the pause and the pace allow, and fails those whose deadline came. */
  #drain = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = this.#now();
    while (this.#queue.length > 0) {
      const head = this.#queue[0] as Waiter;
      if (now < this.#pausedUntil || !this.#take(now)) break;
      this.#queue.shift();
      this.#release(head);
      head.resolve();
    }
    // A request that could go only after its deadline fails now, not at the deadline.
    const next = this.#nextAt(now);
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const waiter = this.#queue[i] as Waiter;
      if (waiter.deadline < next) {
        this.#queue.splice(i, 1);
        this.#release(waiter);
        waiter.reject(waiter.tooLate(next));
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

  #release(waiter: Waiter): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  #schedule(): void {
    if (this.#queue.length === 0) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      return;
    }
    const now = this.#now();
    let at = this.#nextAt(now);
    for (const waiter of this.#queue) if (waiter.deadline < at) at = Math.max(now, waiter.deadline);
    if (this.#timer && this.#timerAt <= at) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAt = at;
    // setTimeout takes at most 2^31 - 1 ms (a longer delay fires at once); the drain re-arms it.
    this.#timer = setTimeout(this.#drain, Math.min(2 ** 31 - 1, Math.max(0, Math.ceil(at - now))));
  }
}

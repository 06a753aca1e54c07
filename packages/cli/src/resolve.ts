// genledger resolve: drains a store's queue of refs not yet final. Several of these, on several machines,
// may share one PostgreSQL store: each ref is leased to one of them at a time.
import type { ResolveStats } from "@genledger/store";
import { ledgerFor } from "./ledger.js";
import { withStore } from "./store.js";
import { durationText, escapeControls, plural } from "./text.js";

export interface ResolveCommandOptions {
  store: string;
  once: boolean;
  workers: number;
  rate?: number | undefined;
  /** `--lease`, in ms. */
  lease?: number | undefined;
  retryFailed: boolean;
  retryGivenUp: boolean;
}

const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/** Resolves to the exit code: 0; 1 when a ref failed for good; 130/143 when stopped by a signal (cleanly). */
export async function runResolve(options: ResolveCommandOptions): Promise<number> {
  const { resolvePending } = await import("@genledger/store");
  return withStore(
    options.store,
    async (store) => {
      const requeued: string[] = [];
      if (options.retryFailed) requeued.push(`${await store.requeue("failed")} failed`);
      if (options.retryGivenUp) requeued.push(`${await store.requeue("given-up")} given up`);
      if (requeued.length) process.stderr.write(`genledger resolve: queued again ${requeued.join(", ")}\n`);
      const ledger = await ledgerFor(undefined, { requestsPerSecond: options.rate });
      const before = await store.queueStats();
      process.stderr.write(
        `genledger resolve: ${store.url}: ${plural(before.waiting, "ref")} waiting (${before.due} due now)${options.once ? "" : "; Ctrl-C to stop"}\n`,
      );
      const stop = new AbortController();
      let stoppedBy: keyof typeof signalExitCodes | undefined;
      const onSignal = (signal: keyof typeof signalExitCodes) => {
        // A second signal leaves at once: the refs in hand come back when their lease ends.
        if (stoppedBy) process.exit(signalExitCodes[signal]);
        stoppedBy = signal;
        process.stderr.write(`genledger resolve: stopping (${signal}); the refs in hand go back to the queue\n`);
        stop.abort();
      };
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, onSignal);
      let stats: ResolveStats;
      let lastOutage: number | undefined;
      try {
        stats = await resolvePending({
          store,
          ledger,
          workers: options.workers,
          once: options.once,
          leaseMs: options.lease,
          signal: stop.signal,
          // A worker outlives its database going away, and says so once per outage.
          onStoreUnreachable: ({ error, since }) => {
            if (since === lastOutage) return;
            lastOutage = since;
            process.stderr.write(`genledger resolve: ${escapeControls(error.message)}; waiting for it to come back\n`);
          },
          // A worker says when it waits, and for how long, rather than sitting silent.
          onIdle: ({ nextDue, stats: so }) => {
            process.stderr.write(
              `genledger resolve: ${so.resolved} resolved so far; nothing due, ${dueText(nextDue)}\n`,
            );
          },
          onSettled: (e) => {
            if (e.outcome === "failed" || e.outcome === "given-up") {
              // Ids and error text come from outside: shown, never run by the terminal.
              const line = `${e.ref.provider}:${e.ref.id} ${e.outcome}: ${e.error ?? ""}`;
              process.stderr.write(`genledger resolve: ${escapeControls(line)}\n`);
            }
          },
        });
      } finally {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.off(signal, onSignal);
      }
      const queue = await store.queueStats();
      process.stderr.write(
        `genledger resolve: ${plural(stats.lookups, "lookup")}, ${stats.resolved} resolved, ${stats.retried} due again later, ` +
          `${stats.givenUp} given up, ${stats.failed} failed; queue: ${queue.waiting} waiting ` +
          `(${queue.due} due now), ${queue.givenUp} given up, ${queue.failed} failed\n`,
      );
      if (queue.waiting > queue.due) process.stderr.write(`genledger resolve: ${dueText(await store.nextDue())}\n`);
      if (stoppedBy) return signalExitCodes[stoppedBy];
      return stats.failed > 0 ? 1 : 0;
    },
    { existing: true },
  );
}

/** `next lookup due in 4m 10s (2026-12-07T23:40:00Z)`, or that none is. */
function dueText(at: number | undefined): string {
  if (at === undefined) return "no ref waits";
  const when = new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
  return `next lookup due in ${durationText((at - Date.now()) / 1000)} (${when})`;
}

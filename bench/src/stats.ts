// min / median / max of repeated measurements, and ratios between two series of the same run.

export interface Spread {
  min: number;
  median: number;
  max: number;
  samples: number[];
}

export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error("spread: no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number, samples: [...samples] };
}

/**
 * `value / anchor` per round (the two were measured side by side in each round), summarised.
 * Pairing by round cancels most of the drift a busy machine adds between rounds.
 */
export function pairedRatio(value: readonly number[], anchor: readonly number[]): Spread {
  if (value.length !== anchor.length) throw new Error("pairedRatio: series of different lengths");
  return spread(value.map((v, i) => v / (anchor[i] as number)));
}

// Calls waiting for their next lookup, earliest due first: a binary heap, so thousands of re-checks
// cost one timer, not one each.

export class DueQueue<T> {
  private readonly heap: { due: number; value: T }[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** The earliest due time, or undefined when empty. */
  get nextDue(): number | undefined {
    return this.heap[0]?.due;
  }

  push(due: number, value: T): void {
    const heap = this.heap;
    heap.push({ due, value });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as { due: number }).due <= due) break;
      [heap[i], heap[parent]] = [heap[parent] as { due: number; value: T }, heap[i] as { due: number; value: T }];
      i = parent;
    }
  }

  /** Removes and returns the earliest entry due at or before `now`. */
  popDue(now: number): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (!top || top.due > now) return undefined;
    const last = heap.pop() as { due: number; value: T };
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && (heap[l] as { due: number }).due < (heap[m] as { due: number }).due) m = l;
        if (r < heap.length && (heap[r] as { due: number }).due < (heap[m] as { due: number }).due) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as { due: number; value: T }, heap[i] as { due: number; value: T }];
        i = m;
      }
    }
    return top.value;
  }

  /** Empties the queue, returning what it held. */
  drain(): T[] {
    return this.heap.splice(0).map((entry) => entry.value);
  }
}

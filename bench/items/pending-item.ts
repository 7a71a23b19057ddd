import type { BenchItem } from '../harness/bench-row';

/** An item whose benchmark function (owned by another engineer) has not landed yet. */
export function pendingItem(name: string, title: string, reason: string): BenchItem {
  return {
    name,
    title,
    async run(context) {
      context.record({ measure: title, value: `n/a (${reason})` });
    },
  };
}

import type { Queryable } from './db';

/**
 * Where a change runs: the Db itself (a transaction of its own, committed when `transaction` resolves),
 * or a transaction that records something alongside the change, such as the replay guard's jti. When
 * the change joins a transaction that commits later, `afterCommit` runs a callback once it has.
 */
export interface Transactional {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  afterCommit?(fn: () => void): void;
}

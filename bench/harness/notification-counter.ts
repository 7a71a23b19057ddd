import type { Emulator, HistoryItem } from '../../src/emulator';

/** Counts notifications the emulator receives from now on and resolves when `expected` have arrived. */
export function countNotifications(emulator: Emulator, expected: number, timeoutMs: number): Promise<{ lastAt: number }> {
  return new Promise((resolve, reject) => {
    let count = 0;
    const onHistory = (item: HistoryItem) => {
      if (item.type !== 'notification') return;
      count += 1;
      if (count >= expected) {
        clearTimeout(timer);
        emulator.events.off('history', onHistory);
        resolve({ lastAt: Date.now() });
      }
    };
    const timer = setTimeout(() => {
      emulator.events.off('history', onHistory);
      reject(new Error(`only ${count} of ${expected} notifications arrived within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    emulator.events.on('history', onHistory);
  });
}

/** Token requests the emulator answered for one installation since its stats were last reset. */
export function tokenRequests(emulator: Emulator, oauthId: string): number {
  return emulator.stats().tokenRequests[oauthId] ?? 0;
}

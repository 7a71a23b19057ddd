import { createLogger } from '../../src/shared/logger';
import { openDb } from '../../src/store/open-db';
import type { BenchItem } from '../harness/bench-row';
import { formatNumber } from '../harness/stats';
import { benchJwtVerify } from '../jwt-verify';

/** Item 3: JWT verification with a warm and a cold installation cache, through bench/jwt-verify.ts. */
export const jwtItem: BenchItem = {
  name: 'jwt',
  title: 'JWT verification',
  async run(context) {
    const database = await context.createDatabase();
    try {
      const db = await openDb(database, createLogger('silent'));
      try {
        const { warmUs, coldUs } = await benchJwtVerify(db);
        context.record({
          measure: 'JWT verify, installation cached (µs per request)',
          value: `${warmUs.toFixed(1)} µs (${formatNumber(1e6 / warmUs)} /s)`,
        });
        context.record({
          measure: 'JWT verify, cache cold: database read, secret decryption, new key (µs per request)',
          value: `${coldUs.toFixed(1)} µs (${formatNumber(1e6 / coldUs)} /s)`,
        });
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  },
};

import { describe, expect, it } from 'vitest';
import { useMigratedTestDatabase } from '../../test/support/migrated-database.js';
import { requestLimitStorage } from './request-limit.js';

describe("Better Auth's request limits in PostgreSQL", () => {
  const test = useMigratedTestDatabase();

  it('allows exactly the limit when requests arrive together, from one pool or two', async () => {
    // Two pools stand for two server processes (on PGlite, one in-process database).
    const other = test.url ? await test.connectAgain() : test.db;
    try {
      const stores = [requestLimitStorage(test.db), requestLimitStorage(other)];
      const rule = { window: 60, max: 3 };
      const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2]!.consume('198.51.100.9|/request-password-reset', rule)));
      expect(outcomes.filter((o) => o.allowed)).toHaveLength(3);
      for (const refused of outcomes.filter((o) => !o.allowed)) {
        expect(refused.retryAfter).toBeGreaterThan(0);
        expect(refused.retryAfter).toBeLessThanOrEqual(60);
      }
      // Another address or another path has its own count.
      expect((await stores[0]!.consume('198.51.100.10|/request-password-reset', rule)).allowed).toBe(true);
      expect((await stores[1]!.consume('198.51.100.9|/send-verification-email', rule)).allowed).toBe(true);
    } finally {
      if (other !== test.db) await other.close();
    }
  });

  it('starts a lapsed window again and sweeps the rows of long-lapsed ones', async () => {
    const store = requestLimitStorage(test.db);
    const rule = { window: 60, max: 1 };
    expect((await store.consume('lapsed|/a', rule)).allowed).toBe(true);
    expect((await store.consume('lapsed|/a', rule)).allowed).toBe(false);
    await test.db.query(`update auth_request_limits set expires_at = now() - interval '1 second' where key = 'lapsed|/a'`);
    expect((await store.consume('lapsed|/a', rule)).allowed).toBe(true);

    await test.db.query(`insert into auth_request_limits (key, requests, expires_at) values ('old|/a', 5, now() - interval '1 hour')`);
    await store.consume('another|/a', rule);
    expect(await test.db.query(`select key from auth_request_limits where key = 'old|/a'`)).toEqual([]);
  });
});

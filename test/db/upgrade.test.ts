// Upgrading: a database left at any earlier migration, with rows in it, is brought up to date at the next start and
// keeps every row (the migrations run at boot on the owner's real db).
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { orders, positions } from '../../src/db/schema.ts';
import { journal, openOlderDb } from '../helpers/older-release.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrading an existing database', () => {
  for (let n = 1; n < journal.entries.length; n++) {
    test(`from ${journal.entries[n - 1]!.tag}, with an open position, a closed one and an order`, async () => {
      const url = `file:${join(dir, `from-${n}.db`)}`;
      const old = await openOlderDb(dir, url, n);
      await old.batch([
        `INSERT INTO positions (market, state, volume, entry_price, entry_cost_krw, opened_at, created_at) VALUES ('KRW-BTC', 'open', 0.001, 100000000, 100000, 1, 1)`,
        `INSERT INTO positions (market, state, volume, entry_price, entry_cost_krw, closed_at, pnl_krw, created_at) VALUES ('KRW-XRP', 'closed', 10, 1000, 10000, 2, 120, 1)`,
        `INSERT INTO orders (identifier, market, side, kind, purpose, position_id, amount_krw, state, created_at, updated_at) VALUES ('cb-old-1', 'KRW-BTC', 'buy', 'market', 'entry', 1, 100000, 'done', 1, 1)`,
      ]);
      old.close();

      const h = await openDatabase(url);
      try {
        const rows = await h.db.select().from(positions).orderBy(positions.id);
        expect(rows.map((p) => [p.market, p.state, p.volume, p.exitVolume])).toEqual([
          ['KRW-BTC', 'open', 0.001, 0],
          ['KRW-XRP', 'closed', 10, 0],
        ]);
        expect((await h.db.select().from(orders)).map((o) => o.identifier)).toEqual(['cb-old-1']);
        const applied = await h.client.execute('SELECT count(*) AS n FROM __drizzle_migrations');
        expect(Number(applied.rows[0]!.n)).toBe(journal.entries.length);
      } finally {
        h.close();
      }
    });
  }
});

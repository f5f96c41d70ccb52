import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { DatabaseError, openDatabase, type DbHandle } from '../../src/db/client.ts';
import { orders } from '../../src/db/schema.ts';
import { openTestDb } from '../helpers/test-db.ts';

const handles: DbHandle[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.close()));

const order = (identifier: string) => ({
  identifier, market: 'KRW-BTC', side: 'buy' as const, kind: 'market' as const, purpose: 'entry' as const,
  amountKrw: 100_000, state: 'submitting' as const, createdAt: 1, updatedAt: 1,
});

describe('openDatabase', () => {
  test('applies the committed migrations to an in-memory database', async () => {
    const h = await openTestDb();
    handles.push(h);
    await h.db.insert(orders).values(order('cb-1'));
    const rows = await h.db.select().from(orders).where(eq(orders.identifier, 'cb-1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state).toBe('submitting');
  });

  test('an order identifier can never be written twice', async () => {
    const h = await openTestDb();
    handles.push(h);
    await h.db.insert(orders).values(order('cb-dup'));
    const err = await h.db.insert(orders).values(order('cb-dup')).then(() => null, (e: Error) => e);
    expect(String(err?.cause)).toContain('UNIQUE constraint failed: orders.identifier');
  });

  test('a file database keeps its rows across a reopen and migrating again is harmless', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-db-'));
    try {
      const url = `file:${join(dir, 'nested', 'bot.db')}`;
      const first = await openDatabase(url);
      await first.db.insert(orders).values(order('cb-keep'));
      first.close();
      const second = await openDatabase(url);
      handles.push(second);
      expect(await second.db.select().from(orders)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a URL libSQL cannot parse fails as a DatabaseError like any other, without the token it carries', async () => {
    for (const url of ['not a url?authToken=SECRET-1', 'postgres://u:SECRET-2@h/db']) {
      const err = await openDatabase(url).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as Error).message).toStartWith('Could not open the database at ');
      expect(`${(err as Error).message}\n${(err as Error).stack}\n${Bun.inspect(err)}`).not.toContain('SECRET');
    }
  });
});

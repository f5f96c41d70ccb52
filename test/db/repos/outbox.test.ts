import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { createOutboxRepo, type OutboxRepo } from '../../../src/db/repos/outbox.ts';
import { openTestDb } from '../../helpers/test-db.ts';

let h: DbHandle;
let repo: OutboxRepo;
beforeEach(async () => {
  h = await openTestDb();
  repo = createOutboxRepo(h.db);
});
afterEach(() => h.close());

const row = (channel: string, createdAt = 100) => ({ channel, eventType: 'buy', payloadJson: '{}', createdAt });

describe('outbox repo', () => {
  test('enqueued rows are due from their creation time, oldest first', async () => {
    await repo.enqueue([row('log', 100), row('tg', 100)]);
    await repo.enqueue([row('log', 150)]);
    expect(await repo.listDue(99, 10)).toEqual([]);
    const due = await repo.listDue(150, 10);
    expect(due.map((r) => [r.channel, r.createdAt, r.status, r.attempts])).toEqual([
      ['log', 100, 'pending', 0],
      ['tg', 100, 'pending', 0],
      ['log', 150, 'pending', 0],
    ]);
  });

  test('a row waits while an earlier row of its channel is backing off; other channels do not', async () => {
    await repo.enqueue([row('log', 100), row('tg', 100)]);
    await repo.enqueue([row('log', 110), row('tg', 110)]);
    const [firstLog] = await repo.listDue(100, 1);
    await repo.markRetry(firstLog!.id, 5_000, 'down');
    expect((await repo.listDue(200, 10)).map((r) => [r.channel, r.createdAt])).toEqual([
      ['tg', 100],
      ['tg', 110],
    ]);
    expect((await repo.listDue(5_000, 10)).map((r) => r.channel)).toEqual(['log', 'tg', 'log', 'tg']);
  });

  test('claim() succeeds for exactly one of two dispatchers that read the same row', async () => {
    await repo.enqueue([row('log')]);
    const [seenByA] = await repo.listDue(100, 1);
    const [seenByB] = await repo.listDue(100, 1);
    const [a, b] = await Promise.all([repo.claim(seenByA!, 1_000), repo.claim(seenByB!, 1_000)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const after = await repo.get(seenByA!.id);
    expect(after).toMatchObject({ attempts: 1, nextAttemptAt: 1_000, status: 'pending' });
    expect(await repo.listDue(999, 10)).toEqual([]);
  });

  test('markSent() flips a row once; later updates are refused', async () => {
    await repo.enqueue([row('log')]);
    const [r] = await repo.listDue(100, 1);
    expect(await repo.markSent(r!.id, 200)).toBe(true);
    expect(await repo.markSent(r!.id, 300)).toBe(false);
    expect(await repo.markRetry(r!.id, 400, 'x')).toBe(false);
    expect(await repo.markFailed(r!.id, 'x')).toBe(false);
    expect(await repo.get(r!.id)).toMatchObject({ status: 'sent', sentAt: 200 });
  });

  test('markRetry() and markFailed() keep the last error; counts by status add up', async () => {
    await repo.enqueue([row('a'), row('b'), row('c')]);
    const [a, b, c] = await repo.listDue(100, 3);
    await repo.markRetry(a!.id, 5_000, 'timeout');
    await repo.markFailed(b!.id, 'gone');
    await repo.markSent(c!.id, 150);
    expect(await repo.get(a!.id)).toMatchObject({ status: 'pending', nextAttemptAt: 5_000, lastError: 'timeout' });
    expect(await repo.get(b!.id)).toMatchObject({ status: 'failed', lastError: 'gone' });
    expect(await repo.countByStatus()).toEqual({ pending: 1, sent: 1, failed: 1 });
  });

  test('prune() removes old sent and failed rows but never pending ones', async () => {
    await repo.enqueue([row('a', 10), row('b', 10), row('c', 10), row('d', 500)]);
    const [a, b] = await repo.listDue(10, 2);
    await repo.markSent(a!.id, 20);
    await repo.markFailed(b!.id, 'x');
    const [d] = (await repo.listDue(500, 10)).filter((r) => r.channel === 'd');
    await repo.markSent(d!.id, 600);
    expect(await repo.prune(100)).toBe(2);
    expect(await repo.countByStatus()).toEqual({ pending: 1, sent: 1, failed: 0 });
  });
});

import { describe, expect, test } from 'bun:test';
import { createBackoff, parseRetryDelayMs } from '../../src/ai/backoff.ts';
import { createMonthlyQuota, kstMonthRange } from '../../src/ai/quota.ts';
import { createAdviserDecisionsRepo } from '../../src/db/repos/adviser-decisions.ts';
import { openTestDb } from '../helpers/test-db.ts';

describe('kstMonthRange', () => {
  test('a month runs from 00:00 KST on the 1st (15:00 UTC the day before)', () => {
    // 2026-03-31 15:30 UTC is already 2026-04-01 00:30 KST.
    const r = kstMonthRange(Date.UTC(2026, 2, 31, 15, 30));
    expect(r.key).toBe('2026-04');
    expect(r.from).toBe(Date.UTC(2026, 2, 31, 15, 0));
    expect(r.to).toBe(Date.UTC(2026, 3, 30, 15, 0));
    expect(kstMonthRange(Date.UTC(2026, 2, 31, 14, 59)).key).toBe('2026-03');
    expect(kstMonthRange(Date.UTC(2026, 11, 31, 16, 0))).toMatchObject({ key: '2027-01', to: Date.UTC(2027, 0, 31, 15, 0) });
  });
});

describe('createMonthlyQuota', () => {
  test('counts stored requests once per month, then its own, and refuses at the limit', async () => {
    const asked: { from: number; to: number }[] = [];
    const quota = createMonthlyQuota({ limit: 3, countRequests: async (r) => (asked.push(r), 1) });
    const now = Date.UTC(2026, 4, 10);
    expect(await quota.check(now)).toEqual({ ok: true, used: 1 });
    quota.record(now);
    expect(await quota.check(now)).toEqual({ ok: true, used: 2 });
    quota.record(now);
    expect(await quota.check(now)).toMatchObject({ ok: false, used: 3, why: 'monthly quota spent (3/3)' });
    expect(asked).toHaveLength(1);
    // A new KST month reads the store again.
    expect(await quota.check(Date.UTC(2026, 5, 10))).toEqual({ ok: true, used: 1 });
    expect(asked).toHaveLength(2);
  });

  test('a zero quota refuses every request', async () => {
    expect((await createMonthlyQuota({ limit: 0, countRequests: async () => 0 }).check(0)).ok).toBe(false);
  });

  test('a failing count refuses without throwing and is retried next time', async () => {
    let fail = true;
    const quota = createMonthlyQuota({ limit: 5, countRequests: async () => { if (fail) throw new Error('db locked'); return 2; } });
    expect(await quota.check(0)).toMatchObject({ ok: false, why: 'quota count failed: db locked' });
    fail = false;
    expect(await quota.check(0)).toEqual({ ok: true, used: 2 });
  });
});

describe('AdviserDecisionsRepo.countRequests', () => {
  test('counts this adviser’s rounds in the range that made a request', async () => {
    const { db, close } = await openTestDb();
    const repo = createAdviserDecisionsRepo(db);
    const { from, to } = kstMonthRange(Date.UTC(2026, 4, 10));
    const row = { adviser: 'gemini', candidates: [], outcome: 'taken' as const };
    await repo.insert({ ...row, at: from, latencyMs: 120 });
    await repo.insert({ ...row, at: to - 1, latencyMs: 80, outcome: 'fallback' });
    await repo.insert({ ...row, at: from + 5, latencyMs: null, outcome: 'fallback' }); // no request (quota, backoff)
    await repo.insert({ ...row, at: from - 1, latencyMs: 50 }); // previous month
    await repo.insert({ ...row, at: to, latencyMs: 50 }); // next month
    await repo.insert({ ...row, adviser: 'other', at: from + 9, latencyMs: 50 });
    expect(await repo.countRequests({ adviser: 'gemini', from, to })).toBe(2);
    close();
  });
});

describe('createBackoff', () => {
  test('blocks for 60 s, doubles up to the cap, honours a longer server hint, resets on success', () => {
    const b = createBackoff({ initialMs: 60_000, maxMs: 200_000 });
    expect(b.blockedUntil(0)).toBeNull();
    expect(b.fail(0)).toBe(60_000);
    expect(b.blockedUntil(59_999)).toBe(60_000);
    expect(b.blockedUntil(60_000)).toBeNull();
    expect(b.fail(60_000)).toBe(120_000);
    expect(b.fail(0)).toBe(200_000);
    b.succeed();
    expect(b.blockedUntil(1)).toBeNull();
    expect(b.fail(0, 90_000)).toBe(90_000);
  });

  test('reads Gemini’s RetryInfo delay', () => {
    expect(parseRetryDelayMs('{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}')).toBe(37_000);
    expect(parseRetryDelayMs('{"error":{"code":429}}')).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { DbHandle } from '../../../src/db/client.ts';
import { createBotStateRepo } from '../../../src/db/repos/bot-state.ts';
import { openTestDb } from '../../helpers/test-db.ts';

let h: DbHandle;
beforeEach(async () => {
  h = await openTestDb();
});
afterEach(() => h.close());

describe('bot state repo', () => {
  test('set() upserts a JSON value per key and get() reads it with its time', async () => {
    const repo = createBotStateRepo(h.db);
    expect(await repo.get('state')).toBeNull();
    await repo.set('state', { state: 'paused', reason: 'x' }, 10);
    await repo.set('state', { state: 'running', reason: null }, 20);
    await repo.set('heartbeat', { at: 5 }, 5);
    expect(await repo.get('state')).toEqual({ value: { state: 'running', reason: null }, updatedAt: 20 });
    await repo.delete('heartbeat');
    expect(await repo.get('heartbeat')).toBeNull();
  });
});

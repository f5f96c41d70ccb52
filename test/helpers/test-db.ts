// An in-memory libSQL database with the real migrations applied; never a fake.
import { openDatabase, type DbHandle } from '../../src/db/client.ts';

export const openTestDb = (): Promise<DbHandle> => openDatabase(':memory:');

export const DISK_FULL = 'database or disk is full';

/** Every insert and update of every table fails as SQLite fails on a full disk (triggers, so every connection sees it); `false` lifts it. */
export async function refuseWrites(handle: DbHandle, isOn: boolean): Promise<void> {
  const tables = (await handle.client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).rows.map((r) => String(r.name));
  for (const table of tables) {
    for (const op of ['INSERT', 'UPDATE']) {
      const name = `refuse_${op.toLowerCase()}_${table}`;
      await handle.client.execute(
        isOn ? `CREATE TRIGGER ${name} BEFORE ${op} ON "${table}" BEGIN SELECT RAISE(ABORT, '${DISK_FULL}'); END` : `DROP TRIGGER IF EXISTS ${name}`,
      );
    }
  }
}

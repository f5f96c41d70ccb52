// One bot per database file: an exclusive SQLite lock on `<db>.lock`, held for the life of the process. The kernel
// drops it when the process ends, however it ends (SIGKILL, crash, power loss), so a restart never finds a stale lock.
import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError, redactDatabaseUrl } from './client.ts';
import { databaseFilePath } from './database-file.ts';

export type DatabaseLock = { release(): void };

/** Takes the lock of the database file at `url`; throws DatabaseError when another process holds it. */
export function lockDatabase(url: string): DatabaseLock {
  const path = databaseFilePath(url);
  if (path === null) return { release: () => undefined };
  let lock: Database | null = null;
  try {
    mkdirSync(dirname(path), { recursive: true });
    lock = new Database(`${path}.lock`, { create: true });
    lock.exec('PRAGMA locking_mode=EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    lock.exec('DELETE FROM holder');
    lock.run('INSERT INTO holder (pid, since) VALUES (?, ?)', [process.pid, Date.now()]);
    lock.exec('COMMIT');
  } catch (err) {
    lock?.close();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new DatabaseError(`Another CoinButler is already using the database ${redactDatabaseUrl(url)}: run one bot per database (stop the other one, or give this one its own DATABASE_URL)`);
    }
    throw new DatabaseError(`Could not open the database at ${redactDatabaseUrl(url)}: ${(err as Error).message} (its lock file ${path}.lock)`);
  }
  const held = lock;
  return { release: () => held.close() };
}

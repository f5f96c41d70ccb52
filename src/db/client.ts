// Opens the libSQL database (file, :memory:, or a sqld/Turso URL), applies the committed migrations, returns Drizzle.
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redactUrl } from '../config.ts';
import { rootCause } from '../error-text.ts';
import { databaseFilePath } from './database-file.ts';
import { checkDatabaseMode, DatabaseModeError, stampDatabaseMode, type DatabaseMode } from './db-mode.ts';
import * as schema from './schema.ts';

export type Db = LibSQLDatabase<typeof schema>;
export type DbHandle = { db: Db; client: Client; close(): void };

export const MIGRATIONS_DIR = join(import.meta.dir, '../../migrations');

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
}

export type OpenOptions = {
  /**
   * The mode the bot runs in: a database of another mode is refused (DatabaseModeError) before anything in it is
   * changed, and a database without a stamp gets this one. Without it (export, tests) the mode is neither checked
   * nor stamped.
   */
  mode?: DatabaseMode;
  now?: () => number;
};

/** Opens the database and brings its schema up to date. Never uses `drizzle-kit push`. */
export async function openDatabase(url: string, authToken?: string, o: OpenOptions = {}): Promise<DbHandle> {
  const filePath = databaseFilePath(url);
  let client: Client | undefined;
  try {
    if (filePath) mkdirSync(dirname(filePath), { recursive: true });
    // `timeout` is applied to every pooled connection; a PRAGMA busy_timeout would be lost (ecosystem.md §3).
    const opened = createClient({ url, ...(authToken ? { authToken } : {}), timeout: 5_000 });
    client = opened;
    if (o.mode) await checkDatabaseMode(opened, url, o.mode);
    if (filePath) await opened.execute('PRAGMA journal_mode=WAL');
    const db = drizzle(opened, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    if (o.mode) await stampDatabaseMode(opened, o.mode, (o.now ?? Date.now)());
    return { db, client: opened, close: () => opened.close() };
  } catch (cause) {
    client?.close();
    if (cause instanceof DatabaseModeError) throw cause;
    // libSQL quotes a URL it cannot parse whole, credentials included.
    const said = `${(cause as Error).message}${rootReason(cause)}`.split(url).join(redactDatabaseUrl(url));
    const detail = hideToken(said.replace(/\s+/g, ' ').trim(), authToken);
    const isQuoted = String((cause as Error | undefined)?.message).includes(url);
    throw new DatabaseError(`Could not open the database at ${redactDatabaseUrl(url)}: ${detail}`, isQuoted ? undefined : { cause });
  }
}

/** The URL without credentials: no `user:pass@` and no query (libSQL also takes `?authToken=…`). */
export const redactDatabaseUrl = redactUrl;

const hideToken = (text: string, token: string | undefined): string => (token ? text.split(token).join('(hidden)') : text);

/** Drizzle wraps the driver's error ("Failed query: …"); the innermost cause says why (ECONNREFUSED, 401, …). */
function rootReason(err: unknown): string {
  const e = rootCause(err);
  if (e === err || typeof e !== 'object' || e === null) return '';
  const { code, message } = e as { code?: unknown; message?: unknown };
  const why = [code, message].filter((x) => typeof x === 'string' && x !== '').join(' ');
  return why ? ` (${why})` : '';
}

// Which mode a database belongs to (paper, live, demo): read before anything is migrated or written, stamped once.
// A paper db started LIVE would reconcile paper positions against the real account — and could sell the owner's
// own coins on a paper stop-loss — so a database of another mode stops the start and is left as it was.
import { createClient, type Client } from '@libsql/client';
import { dirname } from 'node:path';
import { DEFAULT_DATABASE_URLS, redactUrl } from '../config.ts';
import { databaseFilePath } from './database-file.ts';

export type DatabaseMode = 'paper' | 'live' | 'demo';

export class DatabaseModeError extends Error {
  override readonly name = 'DatabaseModeError';
}

const MODES: readonly string[] = ['paper', 'live', 'demo'];

/**
 * The stamped mode, or for a database from before the stamp, the mode its rows show: paper-exchange rows are
 * paper; orders or positions without them are live (the real Upbit adapter); nothing at all is null. Only reads.
 */
export async function fetchDatabaseMode(client: Client): Promise<{ stamped: DatabaseMode | null; inferred: DatabaseMode | null }> {
  const tables = new Set((await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows.map((r) => String(r.name)));
  const hasRows = async (table: string) => tables.has(table) && (await client.execute(`SELECT 1 FROM "${table}" LIMIT 1`)).rows.length > 0;
  if (tables.has('database_mode')) {
    const mode = (await client.execute('SELECT mode FROM database_mode WHERE id = 1')).rows[0]?.mode;
    if (typeof mode === 'string' && MODES.includes(mode)) return { stamped: mode as DatabaseMode, inferred: null };
  }
  if ((await hasRows('paper_balances')) || (await hasRows('paper_orders'))) return { stamped: null, inferred: 'paper' };
  if ((await hasRows('orders')) || (await hasRows('positions'))) return { stamped: null, inferred: 'live' };
  return { stamped: null, inferred: null };
}

/** fetchDatabaseMode on the database at `url`, opened for this read only. */
export async function fetchDatabaseModeAt(url: string): Promise<{ stamped: DatabaseMode | null; inferred: DatabaseMode | null }> {
  const client = createClient({ url });
  try {
    return await fetchDatabaseMode(client);
  } finally {
    client.close();
  }
}

/** Throws DatabaseModeError when the database at `url` holds another mode than `mode`; reads only. */
export async function checkDatabaseMode(client: Client, url: string, mode: DatabaseMode): Promise<void> {
  const { stamped, inferred } = await fetchDatabaseMode(client);
  const held = stamped ?? inferred;
  if (held !== null && held !== mode) throw new DatabaseModeError(modeMismatchText(url, held, mode));
}

/** Writes `mode` into a database that has no stamp yet (after the migrations); a stamp already there stays. */
export async function stampDatabaseMode(client: Client, mode: DatabaseMode, now: number): Promise<void> {
  await client.execute({ sql: 'INSERT INTO database_mode (id, mode, stamped_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING', args: [mode, now] });
}

/** One line: which database, the mode it holds, the mode wanted, and what to do. Pure. */
export function modeMismatchText(url: string, held: DatabaseMode, wanted: DatabaseMode): string {
  const shown = redactUrl(url);
  const where = shown.startsWith('file:') ? shown.slice('file:'.length) : shown;
  return `This database (${where}) holds ${held.toUpperCase()} trading and ${wanted.toUpperCase()} needs its own: ${adviceFor(shown, wanted)} (nothing in it was changed)`;
}

function adviceFor(url: string, wanted: DatabaseMode): string {
  if (wanted === 'demo') return 'point DEMO_DATABASE_URL at another file, or unset it and run the demo without --keep-db (it starts afresh on ./data/demo-<PORT>.db)';
  const own = DEFAULT_DATABASE_URLS[wanted];
  if (databaseFilePath(url) === null) return 'point DATABASE_URL at another database';
  // The mode's default file name, in the directory of this one (the volume or state directory of a deployment).
  const sibling = `file:${dirname(url.slice('file:'.length))}/${own.slice(own.lastIndexOf('/') + 1)}`;
  if (sibling === own && url !== own) return `unset DATABASE_URL to use ${own}, or point DATABASE_URL at another file`;
  if (sibling !== url) return `point DATABASE_URL at a file of its own, such as ${sibling}`;
  return 'point DATABASE_URL at another file';
}

// A database as an older release left it: only the first migrations applied, for upgrade and legacy-db tests.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { MIGRATIONS_DIR } from '../../src/db/client.ts';

export const journal = (await Bun.file(join(MIGRATIONS_DIR, 'meta/_journal.json')).json()) as { entries: Array<{ tag: string }> };

/** A migrations folder under `dir` holding only the first `n` migrations, as an older release shipped them. */
export function olderRelease(dir: string, n: number): string {
  const folder = join(dir, `release-${n}`);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const entries = journal.entries.slice(0, n);
  for (const e of entries) cpSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(folder, `${e.tag}.sql`));
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  return folder;
}

/** Opens `url` and migrates it to the first `n` migrations only; the caller adds rows and closes it. */
export async function openOlderDb(dir: string, url: string, n: number): Promise<Client> {
  const client = createClient({ url });
  await migrate(drizzle(client), { migrationsFolder: olderRelease(dir, n) });
  return client;
}

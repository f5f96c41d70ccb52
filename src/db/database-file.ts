// Where a DATABASE_URL's file is: the one place that tells a file database from an in-memory or server one.
import { resolve } from 'node:path';

/** The file a `file:` URL names (absolute, without a query), or null for an in-memory or server database. */
export function databaseFilePath(url: string): string | null {
  if (!url.startsWith('file:') || url.includes(':memory:')) return null;
  return resolve(url.slice('file:'.length).replace(/\?.*$/, ''));
}

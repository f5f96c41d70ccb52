// DATABASE_URL pointing at a libSQL server (sqld/Turso): a failed open never shows the auth token, however it was given.
import { describe, expect, test } from 'bun:test';
import { loadConfig } from '../../src/config.ts';
import { DatabaseError, openDatabase, redactDatabaseUrl } from '../../src/db/client.ts';
import { startApp } from '../../src/main.ts';

const TOKEN = 'eyJhbGciOiJFZERTQSJ9.SECRET-libsql-token';

/** A port nothing listens on: bound by a throwaway server, then released. */
function closedPort(): number {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** Everything a person could see of the error: message, stack, inspected cause chain. */
async function failureText(open: () => Promise<unknown>): Promise<string> {
  try {
    await open();
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseError);
    return `${(err as Error).message}\n${(err as Error).stack}\n${Bun.inspect(err)}`;
  }
  throw new Error('the database opened, but it should not have');
}

describe('DATABASE_URL with a libSQL server', () => {
  test('an unreachable http:// server with DATABASE_AUTH_TOKEN: the error says why and where, never the token', async () => {
    const url = `http://127.0.0.1:${closedPort()}`;
    const text = await failureText(() => openDatabase(url, TOKEN));
    expect(text).toContain(`Could not open the database at ${url}`);
    expect(text).toContain('ECONNREFUSED');
    expect(text).not.toContain('SECRET');
  });

  test('a server that refuses the token (401): the token was sent as a bearer, and the error does not repeat it', async () => {
    const seen: string[] = [];
    const server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: (req) => {
        seen.push(req.headers.get('authorization') ?? '');
        return new Response('{"error":"Unauthorized"}', { status: 401, headers: { 'content-type': 'application/json' } });
      },
    });
    try {
      const text = await failureText(() => openDatabase(`http://127.0.0.1:${server.port}`, TOKEN));
      expect(seen[0]).toBe(`Bearer ${TOKEN}`);
      expect(text).toContain('401');
      expect(text).not.toContain('SECRET');
    } finally {
      server.stop(true);
    }
  });

  test('a token inside the URL (?authToken= or user:token@) is stripped from the error too', async () => {
    const port = closedPort();
    for (const url of [`libsql://127.0.0.1:${port}?tls=0&authToken=${TOKEN}`, `http://user:${TOKEN}@127.0.0.1:${port}`]) {
      const text = await failureText(() => openDatabase(url));
      expect(text).toContain(`127.0.0.1:${port}`);
      expect(text).not.toContain('SECRET');
    }
    expect(redactDatabaseUrl(`https://u:p@db.example.turso.io/x?authToken=t`)).toBe('https://db.example.turso.io/x');
    expect(redactDatabaseUrl('file:./data/coinbutler.db')).toBe('file:./data/coinbutler.db');
  });

  test('the start path (config → startApp) fails on the database first, naming no token', async () => {
    const config = loadConfig({ DATABASE_URL: `http://127.0.0.1:${closedPort()}`, DATABASE_AUTH_TOKEN: TOKEN, PORT: '0', LOG_LEVEL: 'fatal' });
    const text = await failureText(() => startApp({ config, mode: 'paper' }));
    expect(text).toContain('Could not open the database');
    expect(text).not.toContain('SECRET');
  });
});

// `bun run start` that cannot start says why in one line and exits 1: no stack trace, and it never reaches the network.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { lockDatabase } from '../../src/db/instance-lock.ts';

const CLI = join(import.meta.dir, '../../src/cli.ts');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-run-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `bun src/cli.ts start` in an empty directory (no .env), Upbit pointed at a closed local port. */
async function runStart(env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, CLI, 'start'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', UPBIT_REST_URL: 'http://127.0.0.1:9', UPBIT_WS_URL: 'ws://127.0.0.1:9', LOG_PRETTY: 'false', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('bun run start that cannot start', () => {
  test('a DATABASE_URL that cannot be opened: one line, exit 1, no stack', async () => {
    await Bun.write(join(dir, 'not-a-db.db'), 'a file, not a directory');
    const r = await runStart({ DATABASE_URL: `file:${join(dir, 'not-a-db.db')}/x.db`, PORT: '0' });
    // `not-a-db.db` is made a regular file first, so the directory for x.db cannot be created.
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Could not open the database');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a database another bot holds: one line naming it, exit 1', async () => {
    const url = `file:${join(dir, 'held.db')}`;
    const lock = lockDatabase(url);
    try {
      const r = await runStart({ DATABASE_URL: url, PORT: '0' });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('Another CoinButler is already using the database');
    } finally {
      lock.release();
    }
  });

  test('a port in use: one line naming HOST and PORT, exit 1', async () => {
    const taken = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
    try {
      const r = await runStart({ DATABASE_URL: `file:${join(dir, 'port.db')}`, PORT: String(taken.port) });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`Could not listen on 127.0.0.1:${taken.port}`);
    } finally {
      taken.stop(true);
    }
  });

  test('a paper database started LIVE: one line naming both modes and what to do, exit 1', async () => {
    const url = `file:${join(dir, 'paper.db')}`;
    const h = await openDatabase(url);
    await h.client.execute(`INSERT INTO paper_balances (currency, free, locked, avg_buy_price, updated_at) VALUES ('KRW', 1000000, 0, 0, 1)`);
    h.close();
    const r = await runStart({ DATABASE_URL: url, PORT: '0', TRADING_MODE: 'live', UPBIT_ACCESS_KEY: 'ak-123456', UPBIT_SECRET_KEY: 'sk-123456' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('CoinButler did not start: This database');
    expect(r.stderr).toContain('holds PAPER trading');
    expect(r.stderr).toContain(`file:${join(dir, 'coinbutler-live.db')}`);
    expect(r.stderr).not.toContain('sk-123456');
  });
});

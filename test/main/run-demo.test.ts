// `bun run demo` starts from a fresh db, but never by deleting the db of a bot that is still using it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { lockDatabase } from '../../src/db/instance-lock.ts';

const CLI = join(import.meta.dir, '../../src/cli.ts');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-run-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `bun src/cli.ts demo` with its db at `path`; resolves when it exits (a demo that starts is killed). */
async function runDemo(path: string) {
  const proc = Bun.spawn([process.execPath, CLI, 'demo', '--synthetic', '2'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: '0', DEMO_DATABASE_URL: `file:${path}`, LOG_PRETTY: 'false' },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  clearTimeout(timer);
  return { code, stderr };
}

describe('bun run demo on a database in use', () => {
  test('refuses in one line and leaves the other bot its db', async () => {
    const path = join(dir, 'demo.db');
    writeFileSync(path, 'the running bot data');
    const lock = lockDatabase(`file:${path}`);
    try {
      const { code, stderr } = await runDemo(path);
      expect(stderr).toContain('Another CoinButler is already using the database');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(code).toBe(1);
      expect(existsSync(path) && readFileSync(path, 'utf8')).toBe('the running bot data');
    } finally {
      lock.release();
    }
  });
});

describe('bun run demo pointed at a paper or live database', () => {
  test('refuses in one line and deletes nothing (the demo recreates only its own db)', async () => {
    const path = join(dir, 'paper.db');
    const h = await openDatabase(`file:${path}`);
    await h.client.execute(`INSERT INTO paper_balances (currency, free, locked, avg_buy_price, updated_at) VALUES ('KRW', 1000000, 0, 0, 1)`);
    h.close();
    const r = await runDemo(path);
    expect(r.stderr).toContain('holds PAPER trading');
    expect(r.stderr).toContain('DEMO_DATABASE_URL');
    expect(r.code).toBe(1);
    const again = await openDatabase(`file:${path}`);
    try {
      expect((await again.client.execute('SELECT free FROM paper_balances')).rows.map((row) => row.free)).toEqual([1000000]);
    } finally {
      again.close();
    }
  });
});

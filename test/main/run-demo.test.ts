// `bun run demo` starts from a fresh db, but never by deleting the db of a bot that is still using it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDatabase } from '../../src/db/instance-lock.ts';

const CLI = join(import.meta.dir, '../../src/cli.ts');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-run-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bun run demo on a database in use', () => {
  test('refuses in one line and leaves the other bot its db', async () => {
    const path = join(dir, 'demo.db');
    writeFileSync(path, 'the running bot data');
    const lock = lockDatabase(`file:${path}`);
    try {
      const proc = Bun.spawn([process.execPath, CLI, 'demo', '--synthetic', '2'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', PORT: '0', DEMO_DATABASE_URL: `file:${path}`, LOG_PRETTY: 'false' },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
      const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
      clearTimeout(timer);
      expect(stderr).toContain('Another CoinButler is already using the database');
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(code).toBe(1);
      expect(existsSync(path) && readFileSync(path, 'utf8')).toBe('the running bot data');
    } finally {
      lock.release();
    }
  });
});

// Runs `bun src/cli.ts demo` as a child on a free port with a throwaway db and a clean environment (no Gemini, no
// Telegram, never the internet): the simulator and the bot exactly as the owner starts them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(import.meta.dir, '../../src/cli.ts');

export type DemoProcess = { url: string; log(): string; stop(): Promise<void> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last `n` lines of the demo's output, for failure messages. */
const tail = (text: string, n = 15) => text.trim().split('\n').slice(-n).join('\n');

export async function startDemo(opts: { speed: number; locale: 'ko' | 'en'; startTimeoutMs?: number }): Promise<DemoProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-demo-e2e-'));
  const outPath = join(dir, 'demo.log');
  const errPath = join(dir, 'demo.err');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_DATABASE_URL: `file:${join(dir, 'demo.db')}`,
    LOCALE: opts.locale,
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
  };
  const child = Bun.spawn(['bun', CLI, 'demo', '--speed', String(opts.speed)], { env, stdout: Bun.file(outPath), stderr: Bun.file(errPath) });
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const log = () => `${read(outPath)}${read(errPath)}`;
  const stop = async () => {
    child.kill('SIGTERM');
    const exited = await Promise.race([child.exited.then(() => true), sleep(8_000).then(() => false)]);
    if (!exited) child.kill('SIGKILL');
    await child.exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    const url = /Dashboard: (http:\/\/127\.0\.0\.1:\d+)/.exec(log())?.[1];
    if (url) return { url, log, stop };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  const output = log();
  await stop();
  throw new Error(`the demo did not print its dashboard URL (exit ${child.exitCode}):\n${tail(output)}`);
}

export { tail };

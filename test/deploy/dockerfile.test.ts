// deploy/Dockerfile, linted statically (no Docker engine here): pinned Bun, non-root, volume = db, healthcheck that works.
import { describe, expect, test } from 'bun:test';
import { Glob } from 'bun';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/web/app.ts';
import { createFakeBot, type FakeBotSeed } from '../fakes/fake-bot.ts';
import { envPairs, packageJson, parseDockerfile, PINNED_BUN, read, ROOT } from './deploy-files.ts';

const steps = parseDockerfile(read('deploy/Dockerfile'));
/** The instructions of the final stage (after the last FROM). */
const final = steps.slice(steps.findLastIndex((s) => s.op === 'FROM'));
const all = (op: string, list = final) => list.filter((s) => s.op === op);
const imageEnv = Object.fromEntries(all('ENV').flatMap((s) => envPairs(s.args)));
const execForm = (args: string): string[] => JSON.parse(args.replace(/^(--\S+\s+)*(CMD\s+)?/, ''));

describe('Dockerfile', () => {
  test('every stage is the official slim Bun image of the version package.json pins', () => {
    const arg = all('ARG', steps).find((s) => s.args.startsWith('BUN_VERSION='));
    expect(arg?.args).toBe(`BUN_VERSION=${PINNED_BUN}`);
    expect(packageJson.engines.bun).toBe(PINNED_BUN);
    const froms = all('FROM', steps).map((s) => s.args.split(' ')[0]);
    expect(froms.length).toBeGreaterThan(0);
    expect(froms.every((f) => f === 'oven/bun:${BUN_VERSION}-slim')).toBe(true);
  });

  test('installs production dependencies from the lockfile and copies what the app reads at run time', () => {
    expect(all('RUN', steps).some((s) => s.args.includes('bun install --frozen-lockfile --production'))).toBe(true);
    const copied = all('COPY').filter((s) => !s.args.startsWith('--from')).flatMap((s) => s.args.split(' ').slice(0, -1));
    // tsconfig.json carries the JSX settings of the dashboard; migrations apply at boot; public/ is served.
    for (const need of ['package.json', 'bun.lock', 'tsconfig.json', 'src', 'migrations', 'public']) expect(copied).toContain(need);
    for (const path of copied) expect([path, existsSync(join(ROOT, path))]).toEqual([path, true]);
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const path of copied) expect(ignored).not.toContain(path);
    for (const secretOrState of ['.env', 'data', 'node_modules', '*.db', '.git']) expect(ignored).toContain(secretOrState);
  });

  test('every package src/ imports at run time is a production dependency (the image has no devDependencies)', () => {
    const deps = new Set(Object.keys((packageJson as unknown as { dependencies: Record<string, string> }).dependencies));
    const missing = new Set<string>();
    for (const rel of new Glob('**/*.{ts,tsx}').scanSync({ cwd: join(ROOT, 'src') })) {
      const text = readFileSync(join(ROOT, 'src', rel), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)(?! type)[^'"]*?from\s+'([^.'][^']*)'|import\(\s*'([^.'][^']*)'\s*\)/gm)) {
        const spec = m[1] ?? m[2]!;
        if (spec === 'bun' || spec.startsWith('bun:') || spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!deps.has(name)) missing.add(`${rel} → ${name}`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  test('runs as the image\'s unprivileged user and keeps the db on the volume', () => {
    const users = all('USER');
    expect(users.length).toBe(1);
    expect(users[0]!.args).toBe('bun');
    expect(final.indexOf(users[0]!)).toBeLessThan(final.findIndex((s) => s.op === 'CMD'));
    expect(JSON.parse(all('VOLUME')[0]!.args)).toEqual(['/data']);
    expect(imageEnv.DATABASE_URL).toBe('file:/data/coinbutler.db');
    expect(dirname(imageEnv.DATABASE_URL!.slice('file:'.length))).toBe('/data');
    expect(all('RUN').some((s) => s.args.includes('chown bun:bun /data'))).toBe(true);
  });

  test('listens on 0.0.0.0:8080, which the app accepts only with DASHBOARD_PASSWORD', () => {
    expect(all('EXPOSE').map((s) => s.args)).toEqual([imageEnv.PORT!]);
    expect(imageEnv).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', LOG_PRETTY: 'false' });
    expect(() => loadConfig(imageEnv)).toThrow('HOST="0.0.0.0": listening on 0.0.0.0 (beyond 127.0.0.1) needs DASHBOARD_PASSWORD');
    expect(loadConfig({ ...imageEnv, DASHBOARD_PASSWORD: 'pw' }).HOST).toBe('0.0.0.0');
  });

  test('starts like `bun run start` and stops on SIGTERM', () => {
    expect(execForm(all('CMD')[0]!.args).join(' ')).toBe(packageJson.scripts.start!);
    expect(all('STOPSIGNAL')[0]?.args).toBe('SIGTERM');
  });

  test('the HEALTHCHECK command passes on a healthy /healthz and fails when halted or when nothing listens', async () => {
    const hc = all('HEALTHCHECK')[0]!.args;
    expect(hc).toMatch(/--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD /);
    const [bun, ...args] = execForm(hc);
    expect(bun).toBe('bun');
    expect(args.join(' ')).toContain('/healthz');

    const probe = async (seed: FakeBotSeed | null): Promise<number | null> => {
      const app = seed && createApp({ ...createFakeBot(seed), auth: { password: 'pw', apiToken: null, now: () => 0 } });
      const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app ? app.fetch : () => new Response('') });
      const port = String(server.port);
      if (!app) server.stop(true);
      try {
        const proc = Bun.spawn([process.execPath, ...args], { env: { ...process.env, PORT: port }, stdout: 'ignore', stderr: 'ignore' });
        return await proc.exited;
      } finally {
        if (app) server.stop(true);
      }
    };
    expect(await probe({})).toBe(0);
    expect(await probe({ status: { state: 'halted' } })).toBe(1);
    expect(await probe(null)).toBe(1);
  });
});

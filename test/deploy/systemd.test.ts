// deploy/coinbutler.service: restart policy, user, data directory, env file, hardening, pinned Bun, stop timeout.
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageJson, parseUnit, PINNED_BUN, read, ROOT, stopBudgetMs } from './deploy-files.ts';

const TEXT = read('deploy/coinbutler.service');
const unit = parseUnit(TEXT);
const svc = (key: string) => unit.one('Service', key);

/** The JavaScript of `ExecStartPre=… -e "…"`. */
const versionCheck = (): string => /^\S+ -e "(.*)"$/.exec(svc('ExecStartPre')!)![1]!;

function runBun(args: string[], cwd: string) {
  const r = Bun.spawnSync([process.execPath, ...args], { cwd, stdout: 'pipe', stderr: 'pipe' });
  return { code: r.exitCode, stderr: r.stderr.toString() };
}

describe('systemd unit', () => {
  test('restarts always, as a dedicated non-root user, after the network and the clock sync', () => {
    expect(svc('Restart')).toBe('always');
    expect(Number(svc('RestartSec'))).toBeGreaterThan(0);
    expect(svc('User')).toBe('coinbutler');
    expect(svc('Group')).toBe('coinbutler');
    expect(unit.one('Unit', 'After')).toContain('network-online.target');
    expect(unit.one('Unit', 'After')).toContain('time-sync.target');
    expect(unit.one('Install', 'WantedBy')).toBe('multi-user.target');
  });

  test('keeps the db in its StateDirectory, reads /etc/coinbutler.env after the defaults, and starts like `bun run start`', () => {
    expect(svc('WorkingDirectory')).toBe('/opt/coinbutler');
    expect(svc('StateDirectory')).toBe('coinbutler');
    const env = Object.fromEntries(unit.get('Service', 'Environment').map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
    expect(env.DATABASE_URL).toBe('file:/var/lib/coinbutler/coinbutler.db');
    expect(env.LOG_PRETTY).toBe('false');
    expect(svc('EnvironmentFile')).toBe('/etc/coinbutler.env');
    // systemd reads EnvironmentFile= after Environment=, so the file overrides these defaults.
    const [bun, ...args] = svc('ExecStart')!.split(' ');
    expect(bun).toBe('/usr/local/bin/bun');
    expect(['bun', ...args].join(' ')).toBe(packageJson.scripts.start!);
  });

  test('is hardened: no privileges, read-only system, private tmp and devices, IP and local sockets only, memory capped', () => {
    for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups', 'RestrictSUIDSGID', 'LockPersonality']) {
      expect([key, svc(key)]).toEqual([key, 'yes']);
    }
    expect(svc('ProtectSystem')).toBe('strict');
    expect(svc('CapabilityBoundingSet')).toBe('');
    expect(new Set(svc('RestrictAddressFamilies')!.split(' '))).toEqual(new Set(['AF_INET', 'AF_INET6', 'AF_UNIX']));
    const mb = Number(/^(\d+)M$/.exec(svc('MemoryMax')!)![1]);
    expect(mb).toBeGreaterThanOrEqual(256);
    expect(mb).toBeLessThanOrEqual(1024);
    // Bun's JIT needs writable+executable pages: this option would crash it at start.
    expect(svc('MemoryDenyWriteExecute')).toBeUndefined();
  });

  test('stops with SIGTERM and waits longer than the graceful stop can take', () => {
    expect(svc('KillSignal')).toBe('SIGTERM');
    expect(Number(svc('TimeoutStopSec')) * 1_000).toBeGreaterThan(stopBudgetMs());
  });

  test('the pre-start check accepts the pinned Bun and refuses another version', () => {
    const js = versionCheck();
    expect(js).not.toMatch(/[$%]/); // systemd would expand these in ExecStartPre=
    expect(Bun.version).toBe(PINNED_BUN);
    expect(runBun(['-e', js], ROOT).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'cb-unit-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ packageManager: 'bun@0.0.1' }));
      const r = runBun(['-e', js], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`bun ${Bun.version} found, package.json pins 0.0.1`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.skipIf(!Bun.which('systemd-analyze'))('passes `systemd-analyze verify` (with this machine\'s bun path)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-unit-'));
    try {
      const path = join(dir, 'coinbutler.service');
      writeFileSync(path, TEXT.replaceAll('/usr/local/bin/bun', process.execPath));
      const r = Bun.spawnSync(['systemd-analyze', 'verify', path], { stdout: 'pipe', stderr: 'pipe' });
      expect(r.stderr.toString()).toBe('');
      expect(r.exitCode).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// `bun run sim` argument parsing: defaults, every flag, and clear messages for bad values.
import { describe, expect, test } from 'bun:test';
import { parseSimArgs, SimArgsError } from '../../src/sim/cli.ts';

describe('sim cli arguments', () => {
  test('defaults are the demo keys on 127.0.0.1:7070', () => {
    expect(parseSimArgs([])).toMatchObject({ port: 7070, hostname: '127.0.0.1', accessKey: 'sim-access', secretKey: 'sim-secret', krw: 1_000_000, speed: 1, seed: 1, syntheticCount: 120, isHelp: false });
  });

  test('every flag is read', () => {
    const o = parseSimArgs(['--port', '0', '--host', '0.0.0.0', '--access-key', 'K', '--secret-key', 'S', '--krw', '2500000', '--speed', '60', '--seed', '9', '--synthetic', '3', '--start', '2025-09-02T00:00:00Z', '--data', '/tmp/d']);
    expect(o).toMatchObject({ port: 0, hostname: '0.0.0.0', accessKey: 'K', secretKey: 'S', krw: 2_500_000, speed: 60, seed: 9, syntheticCount: 3, startAt: Date.UTC(2025, 8, 2), dataDir: '/tmp/d' });
  });

  test('bad values name the flag and the value', () => {
    const message = (args: string[]) => {
      try {
        parseSimArgs(args);
        return 'accepted';
      } catch (e) {
        return e instanceof SimArgsError ? e.message : 'other error';
      }
    };
    expect(message(['--port', '70000'])).toBe('Invalid --port: expected an integer from 0 to 65535, got "70000"');
    expect(message(['--speed', 'fast'])).toContain('Invalid --speed');
    expect(message(['--start', 'tomorrow'])).toContain('Invalid --start');
    expect(message(['--bogus'])).toContain('bogus');
    expect(message(['--access-key', ''])).toBe('Invalid --access-key: must not be empty');
  });
});

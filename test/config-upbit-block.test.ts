// UPBIT_418_SCOPE and UPBIT_418_FALLBACK_MS: what a 418 blocks and for how long when Upbit does not say (both UNCONFIRMED upstream).
import { describe, expect, test } from 'bun:test';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('418 settings', () => {
  test('default: a 418 blocks every group, 60 s when the answer states no length', () => {
    const c = loadConfig({});
    expect(c.UPBIT_418_SCOPE).toBe('all');
    expect(c.UPBIT_418_FALLBACK_MS).toBe(60_000);
  });

  test('group scope and another fallback are taken', () => {
    const c = loadConfig({ UPBIT_418_SCOPE: 'group', UPBIT_418_FALLBACK_MS: '120000' });
    expect([c.UPBIT_418_SCOPE, c.UPBIT_418_FALLBACK_MS]).toEqual(['group', 120_000]);
  });

  test('a bad scope or a fallback under 1 s is refused by name', () => {
    expect(() => loadConfig({ UPBIT_418_SCOPE: 'ip' })).toThrow(ConfigError);
    expect(() => loadConfig({ UPBIT_418_SCOPE: 'ip' })).toThrow(/UPBIT_418_SCOPE="ip"/);
    expect(() => loadConfig({ UPBIT_418_FALLBACK_MS: '0' })).toThrow(/UPBIT_418_FALLBACK_MS="0": must be ≥ 1000/);
  });
});

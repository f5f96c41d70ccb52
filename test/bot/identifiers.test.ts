// Client order identifiers: the cb-<purpose>-<ms36>-<rand36> shape, Upbit's alphabet and length, determinism.
import { describe, expect, test } from 'bun:test';
import { isValidIdentifier, newIdentifier, seededRandom } from '../../src/bot/identifiers.ts';

describe('newIdentifier', () => {
  test('has the documented shape and stays within Upbit rules', () => {
    const id = newIdentifier('entry', 1_795_698_841_095, seededRandom(1));
    expect(id).toMatch(/^cb-entry-[0-9a-z]+-[0-9a-z]{10}$/);
    expect(id.split('-')[2]).toBe((1_795_698_841_095).toString(36));
    expect(isValidIdentifier(id)).toBe(true);
    expect(newIdentifier('manual', Number.MAX_SAFE_INTEGER, () => 0.999999999).length).toBeLessThanOrEqual(64);
  });

  test('the same seed gives the same identifiers; consecutive ones differ', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = newIdentifier('exit', 5, a);
    expect(newIdentifier('exit', 5, b)).toBe(first);
    expect(newIdentifier('exit', 5, a)).not.toBe(first);
  });

  test('refuses a purpose that would break the alphabet', () => {
    expect(() => newIdentifier('en try', 1, Math.random)).toThrow('bad purpose');
    expect(isValidIdentifier('cb/entry')).toBe(false);
    expect(isValidIdentifier('x'.repeat(65))).toBe(false);
  });
});

import { describe, expect, test } from 'bun:test';
import { errorText, rootCause, rootErrorText } from '../src/error-text.ts';

class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

describe('error text', () => {
  test('errorText: name and message, a string as is, anything else as JSON', () => {
    expect(errorText(new TypeError('bad'))).toBe('TypeError: bad');
    expect(errorText('plain')).toBe('plain');
    expect(errorText({ code: 1 })).toBe('{"code":1}');
  });

  test('rootErrorText: a wrapper that only says "Failed query: <sql>" gives way to the driver\'s reason', () => {
    const sqlite = Object.assign(new Error('database or disk is full'), { name: 'SqliteError' });
    const drizzle = new Error('Failed query: insert into "orders" ("identifier") values (?)\nparams: cb-exit-1', { cause: sqlite });
    expect(rootCause(drizzle)).toBe(sqlite);
    expect(rootErrorText(drizzle)).toBe('SqliteError: database or disk is full');
    expect(rootErrorText(new Unavailable('Upbit unreachable', { cause: new TypeError('fetch failed') }))).toBe('Unavailable: TypeError: fetch failed');
    expect(rootErrorText(new Unavailable('Upbit unreachable'))).toBe('Unavailable: Upbit unreachable');
  });
});

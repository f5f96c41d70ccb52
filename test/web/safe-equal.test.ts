// The one constant-time compare of secrets (password, API token, metrics token): digests of both sides, never an early length exit.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Glob } from 'bun';
import { safeEqual } from '../../src/web/safe-equal.ts';

const SRC = join(import.meta.dir, '../../src');

describe('safeEqual', () => {
  test('equal strings match; a different length, a prefix, a case change or an empty side do not', () => {
    expect(safeEqual('correct horse', 'correct horse')).toBe(true);
    expect(safeEqual('비밀번호', '비밀번호')).toBe(true);
    expect(safeEqual('correct horse', 'correct horse!')).toBe(false);
    expect(safeEqual('correct', 'correct horse')).toBe(false);
    expect(safeEqual('Correct horse', 'correct horse')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  test('is the only compare of secrets: no other module calls timingSafeEqual or keeps its own safeEqual', () => {
    const others = [...new Glob('**/*.{ts,tsx}').scanSync({ cwd: SRC })].filter((rel) => {
      if (rel === 'web/safe-equal.ts') return false;
      const text = readFileSync(join(SRC, rel), 'utf8');
      return /timingSafeEqual|const safeEqual\b|function safeEqual\b/.test(text);
    });
    expect(others).toEqual([]);
  });
});

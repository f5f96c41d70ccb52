import { describe, expect, test } from 'bun:test';
import { htmlToPlain, safeCut, splitMessage, TRUNCATION_MARK } from '../../src/notify/telegram-text.ts';

describe('telegram-text', () => {
  test('splitMessage() leaves a short text alone', () => {
    expect(splitMessage('<b>hi</b>')).toEqual(['<b>hi</b>']);
  });

  test('splitMessage() packs whole lines into parts within the limit', () => {
    const text = ['aaaa', 'bbbb', 'cccc', 'dddd'].join('\n');
    expect(splitMessage(text, 10)).toEqual(['aaaa\nbbbb', 'cccc\ndddd']);
  });

  test('a line longer than the limit is cut, never inside a tag or an entity', () => {
    const line = `${'x'.repeat(8)}<b>yy</b>&amp;${'z'.repeat(8)}`;
    const parts = splitMessage(line, 10, 99);
    expect(parts.join('')).toBe(line);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(10);
      expect(p).not.toMatch(/<[^>]*$/);
      expect(p).not.toMatch(/&[a-z]*$/);
    }
  });

  test('safeCut() does not split a surrogate pair', () => {
    expect(safeCut('ab😀cd', 3)).toBe(2);
  });

  test('beyond maxParts the rest is dropped and the last part is marked as truncated', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const parts = splitMessage(text, 20, 3);
    expect(parts).toHaveLength(3);
    expect(parts[2]!.endsWith(TRUNCATION_MARK)).toBe(true);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(20);
  });

  test('htmlToPlain() drops tags and decodes the escaped characters once', () => {
    expect(htmlToPlain('<b>[LIVE]</b> a &lt;b&gt; &amp;lt; &quot;q&quot;')).toBe('[LIVE] a <b> &lt; "q"');
  });
});

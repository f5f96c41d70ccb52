import { describe, expect, test } from 'bun:test';
import { buildPrompt, CANDLES_IN_PROMPT, PROMPT_VERSION, promptHash, toPromptRow } from '../../src/ai/prompt.ts';
import { candidate, threeCandidates } from './helpers.ts';

describe('buildPrompt', () => {
  test('gives every candidate its market, ratios, changes, turnover, flags and the last twelve 5-minute candles', () => {
    const p = buildPrompt(threeCandidates(), 'en');
    const rows = p.userText.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(rows.map((r) => r.market)).toEqual(['KRW-XRP', 'KRW-SOL', 'KRW-DOGE']);
    expect(rows[0]).toMatchObject({ rank: 1, volume_ratio: 6.5, change_5m_pct: 3.12, change_24h_pct: 8.45, turnover_24h_krw: 12_345_678_901, caution_flags: ['TRADING_VOLUME_SOARING'] });
    expect(rows[1]).toMatchObject({ rank: 2, price_krw: 215_300, volume_ratio: 4.125, change_5m_pct: -1.07 });
    expect(rows[2].turnover_24h_krw).toBe(987_654_321);
    for (const r of rows) expect(r.candles_5m).toHaveLength(CANDLES_IN_PROMPT);
  });

  test('candles are the most recent twelve, oldest first, timed in KST', () => {
    const c = candidate('KRW-XRP');
    const row = toPromptRow(c, 1);
    const last = c.recentCandles.at(-1)!;
    // 14 candles opening 07:50…08:55 KST; the first two are dropped.
    expect(row.candles_5m[0]![0]).toBe('03-10 08:00');
    expect(row.candles_5m.at(-1)).toEqual(['03-10 08:55', last.open, last.high, last.low, last.close, last.volume, Number(last.turnoverKrw.toPrecision(4))]);
  });

  test('asks for the reason in the owner’s language', () => {
    expect(buildPrompt(threeCandidates(), 'ko').systemInstruction).toContain('Korean');
    expect(buildPrompt(threeCandidates(), 'en').systemInstruction).toContain('in English');
  });

  test('the hash is stable for the same input and changes with the version, the text or the data', () => {
    const a = buildPrompt(threeCandidates(), 'ko');
    expect(buildPrompt(threeCandidates(), 'ko').hash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.version).toBe(PROMPT_VERSION);
    expect(buildPrompt(threeCandidates(), 'ko', `${PROMPT_VERSION}-next`).hash).not.toBe(a.hash);
    expect(buildPrompt(threeCandidates(), 'en').hash).not.toBe(a.hash);
    expect(promptHash(a.version, `${a.systemInstruction} `, a.userText)).not.toBe(a.hash);
    expect(buildPrompt(threeCandidates().reverse(), 'ko').hash).not.toBe(a.hash);
  });
});

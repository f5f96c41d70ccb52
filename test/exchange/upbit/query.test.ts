import { describe, expect, test } from 'bun:test';
import { bodyHashString, normalizeBody, numberToDecimal, rawQuery, wireQuery } from '../../../src/exchange/upbit/query.ts';

describe('rawQuery / wireQuery', () => {
  test('rawQuery keeps values unencoded and the caller order', () => {
    expect(rawQuery({ market: 'KRW-BTC', start_time: '2024-08-19T00:00:00+09:00', limit: 10 })).toBe(
      'market=KRW-BTC&start_time=2024-08-19T00:00:00+09:00&limit=10',
    );
  });

  test('wireQuery percent-encodes values but leaves [ ] in key names raw', () => {
    const q = { 'states[]': ['wait', 'watch'], start_time: '2024-08-19T00:00:00+09:00' };
    expect(wireQuery(q)).toBe('states[]=wait&states[]=watch&start_time=2024-08-19T00%3A00%3A00%2B09%3A00');
    expect(rawQuery(q)).toBe('states[]=wait&states[]=watch&start_time=2024-08-19T00:00:00+09:00');
  });

  test('arrays repeat the key with [] appended when missing', () => {
    expect(rawQuery({ uuids: ['A', 'B'] })).toBe('uuids[]=A&uuids[]=B');
  });

  test('comma lists are one pair and stay readable on the wire', () => {
    expect(rawQuery({ markets: 'KRW-BTC,KRW-ETH' })).toBe('markets=KRW-BTC,KRW-ETH');
    expect(wireQuery({ markets: 'KRW-BTC,KRW-ETH' })).toBe('markets=KRW-BTC,KRW-ETH');
  });

  test('undefined values are omitted; booleans and numbers are stringified', () => {
    expect(rawQuery({ a: undefined, is_details: true, count: 200, b: undefined })).toBe('is_details=true&count=200');
    expect(wireQuery({})).toBe('');
  });

  test('decoding the wire form gives exactly the hashed raw form', () => {
    const q = { market: 'KRW-BTC', 'states[]': ['done', 'cancel'], end_time: '2025-01-01T00:00:00+09:00', identifier: 'a.b_c~d-e' };
    expect(decodeURIComponent(wireQuery(q))).toBe(rawQuery(q));
  });
});

describe('POST body hash string', () => {
  test('k=v in JSON key order, null/undefined omitted, numbers as decimal strings', () => {
    const body = { market: 'KRW-BTC', side: 'bid', volume: null, price: 6000, ord_type: 'price', identifier: undefined };
    expect(bodyHashString(body)).toBe('market=KRW-BTC&side=bid&price=6000&ord_type=price');
    expect(JSON.stringify(normalizeBody(body))).toBe('{"market":"KRW-BTC","side":"bid","price":"6000","ord_type":"price"}');
  });

  test('tiny numbers never use exponent notation', () => {
    expect(numberToDecimal(1e-7)).toBe('0.0000001');
    expect(numberToDecimal(0.00003736)).toBe('0.00003736');
    expect(() => numberToDecimal(Number.NaN)).toThrow(RangeError);
  });
});

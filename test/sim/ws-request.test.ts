// Validation of Upbit WebSocket request frames in the simulator: accepted shapes and error names.
import { describe, expect, test } from 'bun:test';
import { parseWsRequest } from '../../src/sim/ws-request.ts';

const errorOf = (req: unknown, isPrivate = false) => {
  const r = parseWsRequest(typeof req === 'string' ? req : JSON.stringify(req), isPrivate);
  return r.ok ? null : r.error.name;
};

describe('parseWsRequest', () => {
  test('accepts the documented example with defaults filled in', () => {
    const r = parseWsRequest(JSON.stringify([{ ticket: 'x' }, { type: 'ticker', codes: ['KRW-BTC', 'KRW-ETH'] }, { type: 'orderbook', codes: ['KRW-BTC.5'], level: 10000, is_only_realtime: true }, { format: 'SIMPLE' }]), false);
    expect(r).toEqual({
      ok: true,
      request: {
        kind: 'subscribe', ticket: 'x', format: 'SIMPLE',
        subscriptions: [
          { type: 'ticker', codes: ['KRW-BTC', 'KRW-ETH'], isOnlySnapshot: false, isOnlyRealtime: false },
          { type: 'orderbook', codes: ['KRW-BTC.5'], isOnlySnapshot: false, isOnlyRealtime: true },
        ],
      },
    });
  });

  test.each<[unknown, string]>([
    ['not json', 'WRONG_FORMAT'],
    [{ ticket: 'x' }, 'WRONG_FORMAT'],
    [[], 'WRONG_FORMAT'],
    [[{ ticket: 'x' }, 'ticker'], 'WRONG_FORMAT'],
    [[{ type: 'ticker', codes: ['KRW-BTC'] }], 'NO_TICKET'],
    [[{ ticket: '' }, { type: 'ticker', codes: ['KRW-BTC'] }], 'NO_TICKET'],
    [[{ ticket: 'x' }], 'NO_TYPE'],
    [[{ ticket: 'x' }, { format: 'DEFAULT' }], 'NO_TYPE'],
    [[{ ticket: 'x' }, { type: 'ticker' }], 'NO_CODES'],
    [[{ ticket: 'x' }, { type: 'candle.1m', codes: [] }], 'NO_CODES'],
    [[{ ticket: 'x' }, { type: 'ticker', codes: ['krw-btc'] }], 'INVALID_PARAM'],
    [[{ ticket: 'x' }, { type: 'candle.2m', codes: ['KRW-BTC'] }], 'INVALID_PARAM'],
    [[{ ticket: 'x' }, { type: 'orderbook', codes: ['KRW-BTC.7'] }], 'INVALID_PARAM'],
    [[{ ticket: 'x' }, { type: 'ticker', codes: ['KRW-BTC.5'] }], 'INVALID_PARAM'],
    [[{ ticket: 'x' }, { type: 'ticker', codes: ['KRW-BTC'] }, { format: 'XML' }], 'INVALID_PARAM'],
    [[{ ticket: 'x' }, { type: 'ticker', codes: ['KRW-BTC'], is_only_snapshot: 'yes' }], 'WRONG_FORMAT'],
    [[{ ticket: 'x' }, { type: 'ticker', codes: ['KRW-BTC'], is_only_snapshot: true, is_only_realtime: true }], 'INVALID_PARAM'],
    [[{ ticket: 'x' }, { type: 'myOrder' }], 'INVALID_AUTH'],
  ])('rejects %j with %s on the public socket', (req, name) => {
    expect(errorOf(req) as string).toBe(name);
  });

  test('private types need the private socket; myAsset takes no codes; myOrder codes are optional', () => {
    expect(errorOf([{ ticket: 'x' }, { type: 'myOrder' }, { type: 'myAsset' }], true)).toBeNull();
    expect(errorOf([{ ticket: 'x' }, { type: 'myOrder', codes: [] }], true)).toBeNull();
    expect(errorOf([{ ticket: 'x' }, { type: 'myAsset', codes: [] }], true)).toBe('WRONG_FORMAT');
  });

  test('LIST_SUBSCRIPTIONS needs no type and may switch the format', () => {
    expect(parseWsRequest('[{"ticket":"t"},{"method":"LIST_SUBSCRIPTIONS"},{"format":"SIMPLE"}]', false)).toEqual({
      ok: true, request: { kind: 'list', ticket: 't', format: 'SIMPLE' },
    });
  });
});

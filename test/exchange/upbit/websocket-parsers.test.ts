// Golden tests: raw Upbit WebSocket payloads (DEFAULT and SIMPLE) → domain events.
import { describe, expect, test } from 'bun:test';
import { decodeFrame, parseStreamFrame, parseStreamMessage, StreamMessageInvalid } from '../../../src/exchange/upbit/websocket-parsers.ts';
import ticker from '../../fixtures/upbit/ws-ticker.json';
import trade from '../../fixtures/upbit/ws-trade.json';
import candle from '../../fixtures/upbit/ws-candle.json';
import myOrder from '../../fixtures/upbit/ws-my-order.json';

describe('parseStreamMessage', () => {
  test('parses a DEFAULT and a SIMPLE ticker into the same Ticker shape', () => {
    expect(parseStreamMessage(ticker.response)).toEqual({ kind: 'ticker', ticker: ticker.expected, isSnapshot: false });
    expect(parseStreamMessage(ticker.simple)).toEqual({ kind: 'ticker', ticker: ticker.expectedSimple, isSnapshot: true });
  });

  test('parses trades with ask_bid mapped to the taker side', () => {
    expect(parseStreamMessage(trade.response)).toEqual({ kind: 'trade', trade: trade.expected as never, isSnapshot: true });
    expect(parseStreamMessage(trade.simple)).toEqual({ kind: 'trade', trade: trade.expectedSimple as never, isSnapshot: false });
  });

  test('parses candles with the unit taken from the type and the UTC bucket start', () => {
    expect(parseStreamMessage(candle.response)).toEqual({ kind: 'candle', ...candle.expected } as never);
    expect(parseStreamMessage(candle.simple)).toEqual({ kind: 'candle', ...candle.expectedSimple } as never);
    const second = parseStreamMessage({ ...candle.response, type: 'candle.1s' });
    expect(second.kind === 'candle' && second.unit).toBe('second');
  });

  test('parses a myOrder trade event into an open order and its fill', () => {
    const msg = parseStreamMessage(myOrder.response);
    if (msg.kind !== 'order') throw new Error(`expected an order, got ${msg.kind}`);
    expect(msg.fill).toEqual(myOrder.expected.fill as never);
    expect(msg.order).toMatchObject(myOrder.expected.order as never);
    expect(msg.order.fills).toEqual([msg.fill!]);
    expect(msg.order.price).toBeNull();
  });

  test('maps myOrder states and order types to our vocabulary', () => {
    const done = parseStreamMessage({ ...myOrder.response, state: 'done', order_type: 'price', ask_bid: 'BID' });
    const cancel = parseStreamMessage({ ...myOrder.response, state: 'cancel', order_type: 'market', ask_bid: 'ASK' });
    expect(done.kind === 'order' && [done.order.state, done.order.kind, done.fill]).toEqual(['done', 'market', null]);
    expect(cancel.kind === 'order' && [cancel.order.state, cancel.order.side, cancel.order.price]).toEqual(['cancelled', 'sell', 4000]);
  });

  test('parses a SIMPLE myAsset message into balances', () => {
    const msg = parseStreamMessage(myOrder.simple);
    if (msg.kind !== 'balance') throw new Error(`expected balances, got ${msg.kind}`);
    expect(msg.time).toBe(myOrder.expectedSimple.time);
    expect(msg.balances).toMatchObject(myOrder.expectedSimple.balances);
  });

  test('recognises heartbeats, error frames and subscription lists', () => {
    expect(parseStreamMessage({ status: 'UP' })).toEqual({ kind: 'heartbeat' });
    expect(parseStreamMessage({ error: { name: 'NO_TICKET', message: 'ticket is required' } })).toEqual({
      kind: 'error', code: 'NO_TICKET', message: 'ticket is required',
    });
    expect(parseStreamMessage({ method: 'LIST_SUBSCRIPTIONS', result: [], ticket: 'x' }).kind).toBe('subscriptions');
  });

  test('throws StreamMessageInvalid for a ticker without a price', () => {
    const { trade_price: _drop, ...broken } = ticker.response;
    expect(() => parseStreamMessage(broken)).toThrow(StreamMessageInvalid);
  });
});

describe('decodeFrame and parseStreamFrame', () => {
  const json = JSON.stringify(trade.response);
  test('decodes text, Buffer and ArrayBuffer frames alike', () => {
    const buffer = Buffer.from(json);
    const arrayBuffer = new TextEncoder().encode(json).buffer;
    expect(decodeFrame(json)).toBe(json);
    expect(decodeFrame(buffer)).toBe(json);
    expect(decodeFrame(arrayBuffer)).toBe(json);
    expect(decodeFrame(new Blob([json]))).toBeNull();
  });

  test('unwraps list formats and rejects non-JSON', () => {
    expect(parseStreamFrame(`[${json}]`).kind).toBe('trade');
    expect(() => parseStreamFrame('not json')).toThrow(StreamMessageInvalid);
  });
});

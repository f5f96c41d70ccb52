// Validates Upbit WebSocket request frames ([{ticket},{type,codes,…},{format}]) into subscriptions or an Upbit error.
export type WsFormat = 'DEFAULT' | 'SIMPLE' | 'JSON_LIST' | 'SIMPLE_LIST';
export type WsErrorName = 'WRONG_FORMAT' | 'NO_TICKET' | 'NO_TYPE' | 'NO_CODES' | 'INVALID_PARAM' | 'INVALID_AUTH' | 'Too Many Requests';
export type WsError = { name: WsErrorName; message: string };

export type WsSubscription = {
  type: string;
  /** As requested (orderbook codes may carry ".N" depth); [] for myOrder means every market. */
  codes: string[];
  isOnlySnapshot: boolean;
  isOnlyRealtime: boolean;
};

export type WsRequest =
  | { kind: 'subscribe'; ticket: string; format: WsFormat; subscriptions: WsSubscription[] }
  | { kind: 'list'; ticket: string; format: WsFormat | null };

export const CANDLE_TYPES: Readonly<Record<string, number>> = {
  'candle.1s': 1, 'candle.1m': 60, 'candle.3m': 180, 'candle.5m': 300, 'candle.10m': 600,
  'candle.15m': 900, 'candle.30m': 1_800, 'candle.60m': 3_600, 'candle.240m': 14_400,
};
const QUOTATION_TYPES = new Set(['ticker', 'trade', 'orderbook', ...Object.keys(CANDLE_TYPES)]);
const PRIVATE_TYPES = new Set(['myOrder', 'myAsset']);
const FORMATS = new Set<string>(['DEFAULT', 'SIMPLE', 'JSON_LIST', 'SIMPLE_LIST']);
const ORDERBOOK_DEPTHS = new Set([1, 5, 15, 30]);

type Raw = Record<string, unknown>;
type Result = { ok: true; request: WsRequest } | { ok: false; error: WsError };
const fail = (name: WsErrorName, message: string): Result => ({ ok: false, error: { name, message } });

/** Splits "KRW-BTC.5" into market and depth (30 when absent). */
export function splitOrderbookCode(code: string): { market: string; depth: number } {
  const dot = code.indexOf('.');
  return dot < 0 ? { market: code, depth: 30 } : { market: code.slice(0, dot), depth: Number(code.slice(dot + 1)) };
}

/** @see https://docs.upbit.com/kr/reference/websocket-guide (request format and error names) */
export function parseWsRequest(text: string, isPrivate: boolean): Result {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('WRONG_FORMAT', 'request is not JSON');
  }
  if (!Array.isArray(value) || value.length === 0) return fail('WRONG_FORMAT', 'request must be a non-empty JSON array');
  if (!value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return fail('WRONG_FORMAT', 'request elements must be objects');
  const items = value as Raw[];
  const ticketItem = items.find((i) => 'ticket' in i);
  if (!ticketItem || typeof ticketItem.ticket !== 'string' || ticketItem.ticket === '') return fail('NO_TICKET', 'ticket is required');
  const ticket = ticketItem.ticket;
  let format: WsFormat | null = null;
  const formatItem = items.find((i) => 'format' in i);
  if (formatItem) {
    if (typeof formatItem.format !== 'string') return fail('WRONG_FORMAT', 'format must be a string');
    if (!FORMATS.has(formatItem.format)) return fail('INVALID_PARAM', `unsupported format: ${formatItem.format}`);
    format = formatItem.format as WsFormat;
  }
  const methodItem = items.find((i) => 'method' in i);
  if (methodItem) {
    if (methodItem.method !== 'LIST_SUBSCRIPTIONS') return fail('INVALID_PARAM', `unsupported method: ${String(methodItem.method)}`);
    return { ok: true, request: { kind: 'list', ticket, format } };
  }
  const stray = items.find((i) => !('ticket' in i || 'format' in i || 'type' in i));
  if (stray) return fail('WRONG_FORMAT', `unexpected object: ${JSON.stringify(stray).slice(0, 60)}`);
  const typeItems = items.filter((i) => 'type' in i);
  if (typeItems.length === 0) return fail('NO_TYPE', 'type is required');
  const subscriptions: WsSubscription[] = [];
  for (const item of typeItems) {
    const parsed = parseTypeItem(item, isPrivate);
    if ('name' in parsed) return { ok: false, error: parsed };
    subscriptions.push(parsed);
  }
  return { ok: true, request: { kind: 'subscribe', ticket, format: format ?? 'DEFAULT', subscriptions } };
}

function parseTypeItem(item: Raw, isPrivate: boolean): WsSubscription | WsError {
  const type = item.type;
  if (typeof type !== 'string') return { name: 'WRONG_FORMAT', message: 'type must be a string' };
  if (PRIVATE_TYPES.has(type)) {
    if (!isPrivate) return { name: 'INVALID_AUTH', message: `${type} needs the private endpoint /websocket/v1/private` };
    if (type === 'myAsset' && 'codes' in item) return { name: 'WRONG_FORMAT', message: 'myAsset takes no codes' };
    const codes = item.codes ?? [];
    const bad = checkCodes(codes, false);
    if (bad) return bad;
    return { type, codes: codes as string[], isOnlySnapshot: false, isOnlyRealtime: true };
  }
  if (!QUOTATION_TYPES.has(type)) return { name: 'INVALID_PARAM', message: `unsupported type: ${type}` };
  if (!Array.isArray(item.codes) || item.codes.length === 0) return { name: 'NO_CODES', message: `codes are required for ${type}` };
  const bad = checkCodes(item.codes, type === 'orderbook');
  if (bad) return bad;
  const isOnlySnapshot = item.is_only_snapshot ?? false;
  const isOnlyRealtime = item.is_only_realtime ?? false;
  if (typeof isOnlySnapshot !== 'boolean' || typeof isOnlyRealtime !== 'boolean') {
    return { name: 'WRONG_FORMAT', message: 'is_only_snapshot and is_only_realtime must be booleans' };
  }
  if (isOnlySnapshot && isOnlyRealtime) return { name: 'INVALID_PARAM', message: 'is_only_snapshot and is_only_realtime are exclusive' };
  return { type, codes: item.codes as string[], isOnlySnapshot, isOnlyRealtime };
}

function checkCodes(codes: unknown, allowDepth: boolean): WsError | null {
  if (!Array.isArray(codes)) return { name: 'WRONG_FORMAT', message: 'codes must be a list' };
  for (const code of codes) {
    if (typeof code !== 'string') return { name: 'WRONG_FORMAT', message: 'codes must be strings' };
    if (code !== code.toUpperCase()) return { name: 'INVALID_PARAM', message: `codes must be upper case: ${code}` };
    if (!code.includes('.')) continue;
    if (!allowDepth || !ORDERBOOK_DEPTHS.has(splitOrderbookCode(code).depth)) return { name: 'INVALID_PARAM', message: `invalid code: ${code}` };
  }
  return null;
}

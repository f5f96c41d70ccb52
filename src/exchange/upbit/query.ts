// Upbit query strings and POST body hash strings (shared/upbit-api.md §2.3): the hashed form and the wire form.

/** A query value: scalars, or an array sent as repeated `key[]=` pairs. Comma lists are passed already joined. */
export type QueryValue = string | number | boolean | ReadonlyArray<string | number>;
export type QueryParams = Readonly<Record<string, QueryValue | undefined>>;
/** A JSON POST body as given by callers; null/undefined keys are dropped, numbers become decimal strings. */
export type BodyParams = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Number → decimal string without exponent notation (1e-7 → "0.0000001"). */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot send a non-finite number: ${value}`);
  const s = String(value);
  if (!/e/i.test(s)) return s;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

const scalar = (v: string | number | boolean): string => (typeof v === 'number' ? numberToDecimal(v) : String(v));

/** Ordered [key, value] pairs; arrays expand to repeated keys ending in `[]`; undefined dropped. */
export function queryPairs(params: QueryParams): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const arrayKey = key.endsWith('[]') ? key : `${key}[]`;
      for (const item of value as ReadonlyArray<string | number>) pairs.push([arrayKey, scalar(item)]);
    } else {
      pairs.push([key, scalar(value as string | number | boolean)]);
    }
  }
  return pairs;
}

/** The NOT-URL-encoded query string that is SHA-512 hashed into `query_hash`. */
export function rawQuery(params: QueryParams): string {
  return queryPairs(params)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

// `[` `]` stay raw in key names (the doc's wire form); commas stay raw in values so a
// comma list reads the same whether or not the server decodes before hashing.
const encodeKey = (k: string) => encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']');
const encodeValue = (v: string) => encodeURIComponent(v).replace(/%2C/g, ',');

/** The percent-encoded query string for the URL, same pairs in the same order as rawQuery. */
export function wireQuery(params: QueryParams): string {
  return queryPairs(params)
    .map(([k, v]) => `${encodeKey(k)}=${encodeValue(v)}`)
    .join('&');
}

/** The body exactly as it is sent: null/undefined dropped, every value a string, key order kept. */
export function normalizeBody(body: BodyParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    out[key] = scalar(value);
  }
  return out;
}

/** `k=v&…` of the normalized body in JSON key order, values unencoded: the string hashed for a POST. */
export function bodyHashString(body: BodyParams): string {
  return Object.entries(normalizeBody(body))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

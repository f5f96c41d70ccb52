// Upbit JWT authorization headers (shared/upbit-api.md §2): access_key + fresh nonce, query_hash when there are params.
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { bodyHashString, rawQuery, type BodyParams, type QueryParams } from './query.ts';

export type UpbitJwtAlg = 'HS512' | 'HS256';

export type UpbitAuthOptions = {
  accessKey: string;
  secretKey: string;
  alg?: UpbitJwtAlg;
  /** Nonce source; crypto.randomUUID by default (injectable for tests). */
  nonce?: () => string;
};

/** What a request carries: a query (GET/DELETE), a JSON body (POST), or nothing. */
export type AuthInput = { query?: QueryParams; body?: BodyParams };

export interface UpbitAuth {
  readonly alg: UpbitJwtAlg;
  /** `Bearer <jwt>` for one request; a fresh nonce every call. */
  authorization(input?: AuthInput): Promise<string>;
  /** `Bearer <jwt>` for the private WebSocket handshake (access_key + nonce only). */
  wsAuthorization(): Promise<string>;
}

export const sha512Hex = (text: string): string => createHash('sha512').update(text, 'utf8').digest('hex');

/** The string whose SHA-512 becomes `query_hash`; empty when the request has no params. */
export function hashSource(input: AuthInput = {}): string {
  if (input.body !== undefined) return bodyHashString(input.body);
  if (input.query !== undefined) return rawQuery(input.query);
  return '';
}

export function createUpbitAuth(opts: UpbitAuthOptions): UpbitAuth {
  if (!opts.accessKey || !opts.secretKey) throw new TypeError('Cannot create Upbit auth: access key and secret key are required');
  const alg = opts.alg ?? 'HS512';
  const accessKey = opts.accessKey;
  // The secret is used as raw UTF-8 bytes, never base64-decoded; it is kept only inside this closure.
  const key = new TextEncoder().encode(opts.secretKey);
  const nonce = opts.nonce ?? randomUUID;

  const sign = async (claims: Record<string, string>): Promise<string> => {
    const jwt = await new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
    return `Bearer ${jwt}`;
  };

  return {
    alg,
    authorization(input) {
      const source = hashSource(input);
      const claims: Record<string, string> = { access_key: accessKey, nonce: nonce() };
      if (source !== '') {
        claims.query_hash = sha512Hex(source);
        claims.query_hash_alg = 'SHA512';
      }
      return sign(claims);
    },
    wsAuthorization: () => sign({ access_key: accessKey, nonce: nonce() }),
  };
}

// Verifies Upbit JWTs the way the exchange does: HS256/HS512 over the raw secret, known access key,
// fresh nonce, and query_hash over the decoded query (GET/DELETE) or the ordered JSON body (POST).
// See shared/upbit-api.md §2 (https://docs.upbit.com/kr/reference/auth).
import { decodeJwt, jwtVerify } from 'jose';
import { exchangeError, type SimHttpError } from './errors.ts';

export type AuthRequest = {
  method: string;
  /** The query string as sent, without "?" (still percent-encoded). */
  rawQuery: string;
  /** The parsed JSON body of a POST, keys in sent order; null otherwise. */
  body: Record<string, unknown> | null;
  /** The Authorization header, if any. */
  authorization: string | null;
};

export type AuthVerifier = {
  /** Resolves to the verified access key; rejects with a SimHttpError (401). */
  verify(req: AuthRequest): Promise<string>;
  /** The access_key claimed by a token, unverified (for per-account rate limiting). */
  claimedAccessKey(authorization: string | null): string | null;
  /** Verifies a bare token (private WebSocket handshake: no query_hash). */
  verifyToken(authorization: string | null): Promise<string>;
};

const fail = (name: string, message: string): SimHttpError => exchangeError(401, name, message);

/** The string Upbit hashes: the decoded query for GET/DELETE, `k=v&…` from the JSON body for POST. */
export function hashSource(req: Pick<AuthRequest, 'method' | 'rawQuery' | 'body'>): string {
  if (req.method === 'POST' && req.body) {
    return Object.entries(req.body)
      .flatMap(([k, v]) => (v === null || v === undefined ? [] : Array.isArray(v) ? v.map((x) => `${k}=${x}`) : [`${k}=${String(v)}`]))
      .join('&');
  }
  return decodeURIComponent(req.rawQuery);
}

export const sha512Hex = (s: string): string => new Bun.CryptoHasher('sha512').update(s).digest('hex');

function bearer(authorization: string | null): string {
  const m = authorization === null ? null : /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m?.[1]) throw fail('no_authorization_token', 'Authorization token does not exist.');
  return m[1];
}

export function createAuthVerifier(deps: { keys: ReadonlyMap<string, string> }): AuthVerifier {
  const nonces = new Map<string, Set<string>>();

  const claimedAccessKey = (authorization: string | null): string | null => {
    try {
      const claim = decodeJwt(bearer(authorization)).access_key;
      return typeof claim === 'string' ? claim : null;
    } catch {
      return null;
    }
  };

  async function verifySigned(authorization: string | null): Promise<{ accessKey: string; payload: Record<string, unknown> }> {
    const token = bearer(authorization);
    const accessKey = claimedAccessKey(authorization);
    if (accessKey === null) throw fail('jwt_verification', 'Failed to verify Jwt token.');
    const secret = deps.keys.get(accessKey);
    if (secret === undefined) throw fail('invalid_access_key', 'Invalid access key.');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256', 'HS512'] }));
    } catch {
      throw fail('jwt_verification', 'Failed to verify Jwt token.');
    }
    const nonce = payload.nonce;
    if (typeof nonce !== 'string' && typeof nonce !== 'number') throw fail('jwt_verification', 'Failed to verify Jwt token: nonce is missing.');
    const seen = nonces.get(accessKey) ?? new Set<string>();
    nonces.set(accessKey, seen);
    if (seen.has(String(nonce))) throw fail('nonce_used', 'Nonce already used.');
    seen.add(String(nonce));
    return { accessKey, payload };
  }

  return {
    claimedAccessKey,
    verifyToken: async (authorization) => (await verifySigned(authorization)).accessKey,
    async verify(req) {
      const { accessKey, payload } = await verifySigned(req.authorization);
      const hasParams = req.method === 'POST' ? req.body !== null && Object.keys(req.body).length > 0 : req.rawQuery !== '';
      if (!hasParams) return accessKey;
      const alg = payload.query_hash_alg ?? 'SHA512';
      let source: string;
      try {
        source = hashSource(req);
      } catch {
        throw fail('invalid_query_payload', 'Failed to verify the query of Jwt.');
      }
      if (alg !== 'SHA512' || payload.query_hash !== sha512Hex(source)) {
        throw fail('invalid_query_payload', 'Failed to verify the query of Jwt.');
      }
      return accessKey;
    },
  };
}

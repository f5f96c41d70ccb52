import { describe, expect, test } from 'bun:test';
import { createHash, createHmac } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createUpbitAuth, sha512Hex } from '../../../src/exchange/upbit/auth.ts';

const SECRET = 'test-secret-key-not-base64==';
const bearer = (h: string) => {
  expect(h.startsWith('Bearer ')).toBe(true);
  return h.slice('Bearer '.length);
};

function verifyWithNodeCrypto(jwt: string, secret: string, alg: 'HS512' | 'HS256'): boolean {
  const [header, payload, signature] = jwt.split('.');
  const mac = createHmac(alg === 'HS512' ? 'sha512' : 'sha256', Buffer.from(secret, 'utf8'))
    .update(`${header}.${payload}`)
    .digest('base64url');
  return mac === signature;
}

describe('createUpbitAuth', () => {
  for (const alg of ['HS512', 'HS256'] as const) {
    test(`${alg} signature verifies with jose and with node:crypto HMAC over the raw UTF-8 secret`, async () => {
      const auth = createUpbitAuth({ accessKey: 'ak', secretKey: SECRET, alg });
      const jwt = bearer(await auth.authorization({ query: { market: 'KRW-BTC' } }));
      const { payload, protectedHeader } = await jwtVerify(jwt, new TextEncoder().encode(SECRET), { algorithms: [alg] });
      expect(protectedHeader).toEqual({ alg, typ: 'JWT' });
      expect(payload.access_key).toBe('ak');
      expect(verifyWithNodeCrypto(jwt, SECRET, alg)).toBe(true);
      expect(verifyWithNodeCrypto(jwt, 'other-secret', alg)).toBe(false);
    });
  }

  test('query_hash is the SHA-512 of the documented raw (unencoded) query string', async () => {
    const auth = createUpbitAuth({ accessKey: 'ak', secretKey: SECRET });
    const query = { market: 'KRW-BTC', 'states[]': ['done', 'cancel'], start_time: '2024-08-19T00:00:00+09:00' };
    const claims = decodeJwt(bearer(await auth.authorization({ query })));
    const expected = createHash('sha512').update('market=KRW-BTC&states[]=done&states[]=cancel&start_time=2024-08-19T00:00:00+09:00').digest('hex');
    expect(claims.query_hash).toBe(expected);
    expect(claims.query_hash_alg).toBe('SHA512');
  });

  test('a POST body hashes k=v in key order with numbers as strings', async () => {
    const auth = createUpbitAuth({ accessKey: 'ak', secretKey: SECRET });
    const claims = decodeJwt(bearer(await auth.authorization({ body: { market: 'KRW-BTC', side: 'bid', price: 6000, ord_type: 'price', volume: null } })));
    expect(claims.query_hash).toBe(sha512Hex('market=KRW-BTC&side=bid&price=6000&ord_type=price'));
  });

  test('no params: no query_hash nor query_hash_alg claim; a fresh nonce every call', async () => {
    const auth = createUpbitAuth({ accessKey: 'ak', secretKey: SECRET });
    const a = decodeJwt(bearer(await auth.authorization()));
    const b = decodeJwt(bearer(await auth.authorization({ query: {} })));
    expect(Object.keys(a).sort()).toEqual(['access_key', 'nonce']);
    expect(Object.keys(b).sort()).toEqual(['access_key', 'nonce']);
    expect(a.nonce).not.toBe(b.nonce);
    expect(String(a.nonce)).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('the private WebSocket header carries only access_key and nonce', async () => {
    const auth = createUpbitAuth({ accessKey: 'ak', secretKey: SECRET, alg: 'HS256', nonce: () => 'n-1' });
    const jwt = bearer(await auth.wsAuthorization());
    expect(decodeJwt(jwt)).toEqual({ access_key: 'ak', nonce: 'n-1' });
    expect(decodeProtectedHeader(jwt).alg).toBe('HS256');
  });

  test('the auth object never exposes the secret', () => {
    const auth = createUpbitAuth({ accessKey: 'ak', secretKey: SECRET });
    expect(JSON.stringify(auth)).not.toContain(SECRET);
    expect(() => createUpbitAuth({ accessKey: 'ak', secretKey: '' })).toThrow(TypeError);
  });
});

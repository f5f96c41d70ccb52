// JWT verification over HTTP: algorithms, wrong secret, tampered query, reused nonce, missing header, POST body hash.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sha512, startTestSim, type TestSim } from './sim-client.ts';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(() => t.sim.stop());

const errorName = async (r: Response) => ((await r.json()) as { error: { name: string } }).error.name;

describe('simulator auth', () => {
  test('HS512 and HS256 tokens signed with the raw secret are both accepted', async () => {
    expect((await t.call('GET', '/v1/accounts', { alg: 'HS512' })).status).toBe(200);
    expect((await t.call('GET', '/v1/accounts', { alg: 'HS256' })).status).toBe(200);
  });

  test('a token signed with the wrong secret is refused as jwt_verification', async () => {
    const r = await t.call('GET', '/v1/accounts', { secret: 'not-the-secret' });
    expect(r.status).toBe(401);
    expect(await errorName(r)).toBe('jwt_verification');
  });

  test('an unknown access key is refused', async () => {
    const r = await t.call('GET', '/v1/accounts', { accessKey: 'stranger' });
    expect([r.status, await errorName(r)]).toEqual([401, 'invalid_access_key']);
  });

  test('a missing Authorization header gives no_authorization_token', async () => {
    const r = await t.call('GET', '/v1/accounts', { unsigned: true });
    expect([r.status, await errorName(r)]).toEqual([401, 'no_authorization_token']);
  });

  test('a reused nonce gives nonce_used', async () => {
    expect((await t.call('GET', '/v1/accounts', { nonce: 'n-1' })).status).toBe(200);
    const r = await t.call('GET', '/v1/accounts', { nonce: 'n-1' });
    expect([r.status, await errorName(r)]).toEqual([401, 'nonce_used']);
  });

  test('the query hash covers the decoded query in sent order; tampering is invalid_query_payload', async () => {
    const encoded = 'market=KRW-XRP&start_time=2025-09-01T00%3A00%3A00%2B09%3A00&states[]=done&states[]=cancel';
    expect((await t.call('GET', '/v1/orders/closed', { query: encoded })).status).toBe(200);
    const tampered = await t.call('GET', '/v1/orders/chance', { query: 'market=KRW-XRP', queryHash: 'ab'.repeat(64) });
    expect([tampered.status, await errorName(tampered)]).toEqual([401, 'invalid_query_payload']);
    const resorted = await t.call('GET', '/v1/orders/open', { query: 'market=KRW-XRP&state=wait', queryHash: sha512('state=wait&market=KRW-XRP') });
    expect(await errorName(resorted)).toBe('invalid_query_payload');
    const encodedHash = await t.call('GET', '/v1/orders/closed', { query: 'start_time=2025-09-01T00%3A00%3A00%2B09%3A00', queryHash: sha512('start_time=2025-09-01T00%3A00%3A00%2B09%3A00') });
    expect(await errorName(encodedHash)).toBe('invalid_query_payload');
  });

  test('a POST is hashed from its JSON body keys in order', async () => {
    const body = { market: 'KRW-XRP', side: 'bid', ord_type: 'limit', price: '3900', volume: '2' };
    expect((await t.call('POST', '/v1/orders/test', { body })).status).toBe(201);
    const reordered = await t.call('POST', '/v1/orders/test', { body, queryHash: 'ff'.repeat(64) });
    expect(await errorName(reordered)).toBe('invalid_query_payload');
  });
});

import { describe, expect, test } from 'bun:test';
import { createCircuitBreaker } from '../../../src/exchange/upbit/circuit-breaker.ts';
import { InsufficientFunds, RateLimited, Timeout, Unavailable } from '../../../src/exchange/errors.ts';

function setup() {
  let t = 1_000_000;
  const breaker = createCircuitBreaker({ failureThreshold: 3, coolDownMs: 10_000, now: () => t });
  return { breaker, advance: (ms: number) => (t += ms), now: () => t };
}

describe('createCircuitBreaker', () => {
  test('opens after N consecutive retryable failures and fails fast with Unavailable', () => {
    const { breaker, now } = setup();
    for (let i = 0; i < 3; i++) {
      breaker.beforeRequest();
      breaker.onFailure(new Timeout('x'));
    }
    expect(breaker.state()).toBe('open');
    expect(() => breaker.beforeRequest('GET /v1/accounts')).toThrow(Unavailable);
    expect(breaker.health()).toMatchObject({ isDegraded: true, consecutiveFailures: 3, retryAt: now() + 10_000 });
  });

  test('rejections and rate limits do not count; a success resets the streak', () => {
    const { breaker } = setup();
    breaker.onFailure(new Unavailable('x'));
    breaker.onFailure(new Unavailable('x'));
    breaker.onFailure(new InsufficientFunds('no money'));
    breaker.onFailure(new Unavailable('x'));
    breaker.onFailure(new RateLimited('slow down'));
    breaker.onFailure(new Unavailable('x'));
    expect(breaker.state()).toBe('closed');
    expect(breaker.health()).toEqual({ isDegraded: false, reason: null, consecutiveFailures: 1, retryAt: null });
  });

  test('after the cool-down one probe goes through; its success closes the circuit', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(new Unavailable('x'));
    advance(10_000);
    expect(breaker.state()).toBe('half-open');
    breaker.beforeRequest();
    expect(() => breaker.beforeRequest()).toThrow(Unavailable);
    breaker.onSuccess();
    expect(breaker.state()).toBe('closed');
    expect(() => breaker.beforeRequest()).not.toThrow();
  });

  test('a failed probe reopens the circuit for another cool-down', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(new Unavailable('x'));
    advance(10_000);
    breaker.beforeRequest();
    breaker.onFailure(new Timeout('still down'));
    expect(breaker.state()).toBe('open');
    expect(breaker.health().reason).toContain('Timeout: still down');
  });
});

describe('createCircuitBreaker probe bookkeeping', () => {
  test('a probe that never reports back is replaced after another cool-down', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(new Unavailable('x'));
    advance(10_000);
    breaker.beforeRequest();
    expect(() => breaker.beforeRequest()).toThrow(Unavailable);
    advance(10_000);
    expect(() => breaker.beforeRequest()).not.toThrow();
  });
});

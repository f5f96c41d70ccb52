import { describe, expect, test } from 'bun:test';
import { createLogger, scrubSecrets } from '../src/log.ts';

const capture = () => {
  const lines: string[] = [];
  return { lines, stream: { write: (l: string) => void lines.push(l) } };
};

describe('createLogger', () => {
  test('redacts keys, tokens and Authorization headers in structured fields', () => {
    const sink = capture();
    const log = createLogger({ main: null, streams: [sink.stream], level: 'info' });
    log.info({ secretKey: 'abc-secret', headers: { authorization: 'Bearer xyz' }, market: 'KRW-BTC' }, 'request');
    const line = sink.lines.join('');
    expect(line).toContain('KRW-BTC');
    expect(line).not.toContain('abc-secret');
    expect(line).not.toContain('xyz');
    expect(line).toContain('[Redacted]');
  });

  test('masks configured secret values even inside free text', () => {
    const sink = capture();
    const log = createLogger({ main: null, streams: [sink.stream], secrets: ['my-telegram-token-123'] });
    log.error({ err: new Error('POST https://api.telegram.org/botmy-telegram-token-123/sendMessage failed') }, 'send failed');
    const line = sink.lines.join('');
    expect(line).toContain('send failed');
    expect(line).not.toContain('my-telegram-token-123');
  });

  test('masks a secret however the line spells it: JSON-escaped or URL-encoded', () => {
    const sink = capture();
    const password = 'pa"ss\\w/rd';
    const token = '123456:AAbb-cc';
    const log = createLogger({ main: null, streams: [sink.stream], secrets: [password, token] });
    log.warn({ tried: password }, `login with ${password}`);
    log.error({ err: new Error(`GET https://proxy.example/?u=${encodeURIComponent(token)}&p=${encodeURIComponent(password)} failed`) }, 'request failed');
    const text = sink.lines.join('');
    expect(text).toContain('request failed');
    for (const spelled of [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password), encodeURIComponent(token), 'ss\\\\w']) {
      expect(text).not.toContain(spelled);
    }
  });

  test('writes JSON lines with level and message', () => {
    const sink = capture();
    createLogger({ main: null, streams: [sink.stream] }).warn({ job: 'reconcile' }, 'slow');
    const parsed = JSON.parse(sink.lines[0]!);
    expect(parsed).toMatchObject({ level: 'warn', msg: 'slow', job: 'reconcile' });
  });
});

describe('scrubSecrets', () => {
  test('masks bearer tokens, JWTs and Telegram bot URLs', () => {
    const jwt = 'eyJhbGciOiJIUzUxMiJ9.eyJhY2Nlc3Nfa2V5IjoiayJ9.c2lnbmF0dXJl';
    const out = scrubSecrets(`Authorization: Bearer ${jwt} /bot123456:AAE-token/getMe ${jwt}`);
    expect(out).not.toContain('eyJhY2Nlc3Nfa2V5IjoiayJ9');
    expect(out).not.toContain('AAE-token');
  });
});

import { describe, expect, test } from 'bun:test';
import { loadConfig } from '../src/config.ts';
import { configErrorOf as messageOf } from './helpers/config-error.ts';

describe('loadConfig', () => {
  test('defaults to paper trading with the documented strategy settings', () => {
    const c = loadConfig({});
    expect(c.TRADING_MODE).toBe('paper');
    expect(c.INVESTMENT_AMOUNT).toBe(100_000);
    expect(c.PROFIT_RATE).toBe(0.03);
    expect(c.LOSS_RATE).toBe(-0.02);
    expect(c.DAILY_LOSS_LIMIT).toBe(-50_000);
    expect(c.MAX_POSITIONS).toBe(3);
    expect(c.TRAILING_STOP).toBeNull();
    expect(c.HOST).toBe('127.0.0.1');
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('a bad number names the variable, the value and the expected form', () => {
    expect(messageOf({ PORT: 'eighty' })).toContain('PORT="eighty": must be a number');
    expect(messageOf({ MAX_POSITIONS: '2.5' })).toContain('MAX_POSITIONS="2.5": must be a whole number');
  });

  test('inconsistent strategy values are refused at start', () => {
    expect(messageOf({ INVESTMENT_AMOUNT: '4000' })).toContain('INVESTMENT_AMOUNT');
    expect(messageOf({ LOSS_RATE: '0.01' })).toContain('LOSS_RATE');
    expect(messageOf({ PAPER_KRW: '50000', INVESTMENT_AMOUNT: '100000' })).toContain('PAPER_KRW');
  });

  test('live mode refuses to start without keys', () => {
    expect(messageOf({ TRADING_MODE: 'live' })).toContain('TRADING_MODE');
  });

  test('a secret value is never echoed in the error', () => {
    const msg = messageOf({ TRADING_MODE: 'live', UPBIT_SECRET_KEY: 'sup3r-s3cret-value' });
    expect(msg).toContain('UPBIT_SECRET_KEY');
    expect(msg).not.toContain('sup3r-s3cret-value');
  });

  test('listening beyond loopback needs a dashboard password', () => {
    expect(messageOf({ HOST: '0.0.0.0' })).toContain('DASHBOARD_PASSWORD');
    expect(loadConfig({ HOST: '0.0.0.0', DASHBOARD_PASSWORD: 'pw-123456' }).HOST).toBe('0.0.0.0');
  });

  test('"off" and empty disable optional settings', () => {
    expect(loadConfig({ TRAILING_STOP: 'off', MAX_HOLD_MINUTES: '' }).MAX_HOLD_MINUTES).toBeNull();
    expect(loadConfig({ TRAILING_STOP: '0.01' }).TRAILING_STOP).toBe(0.01);
  });

  test('an unknown time zone is refused', () => {
    expect(messageOf({ TZ_TRADING: 'Mars/Olympus' })).toContain('TZ_TRADING');
  });
});

describe('loadConfig: values a first setup gets wrong', () => {
  test('a rate given in percent (3 for 3 %) is refused with the fraction it meant', () => {
    expect(messageOf({ PROFIT_RATE: '3' })).toContain('PROFIT_RATE="3": must be a fraction');
    expect(messageOf({ PROFIT_RATE: '3' })).toContain('0.03');
    expect(messageOf({ PRICE_CHANGE_LIMIT: '5' })).toContain('PRICE_CHANGE_LIMIT="5": must be a fraction');
    expect(messageOf({ LOSS_RATE: '-2' })).toContain('LOSS_RATE="-2": must be a fraction');
    expect(messageOf({ TRAILING_STOP: '5' })).toContain('TRAILING_STOP="5": must be a fraction');
    expect(loadConfig({ PROFIT_RATE: '1', PRICE_CHANGE_LIMIT: '0.3', LOSS_RATE: '-0.5' }).PROFIT_RATE).toBe(1);
  });

  test('a DATABASE_URL libSQL cannot open is refused by name, without its credentials', () => {
    const pg = messageOf({ DATABASE_URL: 'postgres://bot:SECRET-pw@db.example/x?sslmode=require&token=SECRET2' });
    expect(pg).toContain('DATABASE_URL="postgres://db.example/x"');
    expect(pg).toContain('file:');
    expect(pg).not.toContain('SECRET');
    expect(messageOf({ DATABASE_URL: './data/bot.db' })).toContain('DATABASE_URL="./data/bot.db"');
    for (const url of ['file:./data/x.db', 'file:/var/lib/coinbutler/coinbutler.db', 'libsql://db.turso.io', 'https://db.example', 'http://127.0.0.1:8081', ':memory:']) {
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
  });

  test('the default database depends on the mode: paper keeps coinbutler.db, live gets a file of its own', () => {
    const keys = { UPBIT_ACCESS_KEY: 'ak-123456', UPBIT_SECRET_KEY: 'sk-123456' };
    expect(loadConfig({}).DATABASE_URL).toBe('file:./data/coinbutler.db');
    expect(loadConfig({ ...keys, TRADING_MODE: 'live' }).DATABASE_URL).toBe('file:./data/coinbutler-live.db');
    expect(loadConfig({ ...keys, TRADING_MODE: 'live', DATABASE_URL: '' }).DATABASE_URL).toBe('file:./data/coinbutler-live.db');
    // An explicit DATABASE_URL is used as given, in either mode (the database itself refuses the other mode).
    expect(loadConfig({ ...keys, TRADING_MODE: 'live', DATABASE_URL: 'file:./data/coinbutler.db' }).DATABASE_URL).toBe('file:./data/coinbutler.db');
  });

  test('HOST with a scheme or a port is refused as such, not as a missing password', () => {
    const msg = messageOf({ HOST: 'localhost:8080', DASHBOARD_PASSWORD: 'pw-123456' });
    expect(msg).toContain('HOST="localhost:8080"');
    expect(msg).toContain('PORT');
    expect(messageOf({ HOST: 'http://0.0.0.0', DASHBOARD_PASSWORD: 'pw-123456' })).toContain('HOST=');
    expect(loadConfig({ HOST: '::1' }).HOST).toBe('::1');
    expect(loadConfig({ HOST: '::', DASHBOARD_PASSWORD: 'pw-123456' }).HOST).toBe('::');
  });

  test('the Upbit URLs must have the scheme their client speaks', () => {
    expect(messageOf({ UPBIT_WS_URL: 'https://api.upbit.com/websocket/v1' })).toContain('UPBIT_WS_URL');
    expect(messageOf({ UPBIT_REST_URL: 'wss://api.upbit.com' })).toContain('UPBIT_REST_URL');
    expect(loadConfig({ UPBIT_REST_URL: 'http://127.0.0.1:7070', UPBIT_WS_URL: 'ws://127.0.0.1:7070/websocket/v1' }).UPBIT_WS_URL).toBe('ws://127.0.0.1:7070/websocket/v1');
  });
});

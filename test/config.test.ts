import { describe, expect, test } from 'bun:test';
import { ConfigError, loadConfig } from '../src/config.ts';

const messageOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected loadConfig to throw');
};

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

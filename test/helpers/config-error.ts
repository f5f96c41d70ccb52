// The message loadConfig refuses an environment with (a ConfigError); the test fails if it accepts it.
import { expect } from 'bun:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

export function configErrorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

// Readers for the deploy/ files (systemd unit, Dockerfile) and the graceful-stop budget taken from the sources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dir, '../..');
export const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

export const packageJson = JSON.parse(read('package.json')) as {
  packageManager: string;
  engines: { bun: string };
  scripts: Record<string, string>;
};
/** The Bun version package.json pins ("bun@1.4.5" → "1.4.5"). */
export const PINNED_BUN = packageJson.packageManager.replace(/^bun@/, '');

export type Unit = { get(section: string, key: string): string[]; one(section: string, key: string): string | undefined };

/** A systemd unit: `[Section]` headers, `Key=value` lines (a key may repeat), `#`/`;` comments. */
export function parseUnit(text: string): Unit {
  const entries: { section: string; key: string; value: string }[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!;
    else {
      const eq = line.indexOf('=');
      entries.push({ section, key: line.slice(0, eq), value: line.slice(eq + 1) });
    }
  }
  const get = (s: string, k: string) => entries.filter((e) => e.section === s && e.key === k).map((e) => e.value);
  return { get, one: (s, k) => get(s, k).at(-1) };
}

export type Instruction = { op: string; args: string };

/** Dockerfile instructions in order, continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) pending += `${line.slice(0, -1).trim()} `;
    else {
      const full = (pending + line.trim()).trim();
      pending = '';
      if (full) logical.push(full);
    }
  }
  return logical.map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
}

/** `ENV A=1 B=2` pairs (unquoted values, as this Dockerfile writes them). */
export const envPairs = (args: string): [string, string][] =>
  args.split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]);

function constant(rel: string, pattern: RegExp): number {
  const m = pattern.exec(read(rel));
  if (!m) throw new Error(`Could not find ${pattern} in ${rel}: update the stop budget of test/deploy`);
  return Number(m[1]!.replace(/_/g, ''));
}

/**
 * Longest graceful stop in ms, from the code that runs it: jobs finishing, the Telegram poller, orders in flight
 * draining, and one last notification send. A service manager must wait at least this long before SIGKILL.
 */
export function stopBudgetMs(): number {
  return (
    constant('src/main.ts', /scheduler\.stop\(([\d_]+)\)/) +
    constant('src/notify/telegram-poller.ts', /stopTimeoutMs \?\? ([\d_]+)/) +
    constant('src/bot/bot.ts', /executor\.drain\(([\d_]+)\)/) +
    constant('src/notify/telegram.ts', /sendTimeoutMs \?\? ([\d_]+)/)
  );
}

// The composition root loads the Gemini and Telegram SDKs (and pino-pretty) only when configured: ~10 MB of RSS each.
import { expect, test } from 'bun:test';
import { join } from 'node:path';

const ROOT = join(import.meta.dir, '../..');
const STATIC_IMPORT = /^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm;

const staticImports = async (file: string) => [...(await Bun.file(join(ROOT, file)).text()).matchAll(STATIC_IMPORT)].map((m) => m[1]!);

test('main.ts has no static import of the Gemini adviser or the Telegram modules', async () => {
  const imports = await staticImports('src/main.ts');
  expect(imports).toContain('./bot/bot.ts'); // the pattern does see main.ts's imports
  expect(imports.filter((s) => s.includes('gemini') || s.includes('telegram'))).toEqual([]);
});

test('log.ts loads pino-pretty only for a pretty logger', async () => {
  expect(await staticImports('src/log.ts')).not.toContain('pino-pretty');
});

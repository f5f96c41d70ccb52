// One-off script: cuts the bundled 3-day subset (recorded/*.csv.gz) out of the full shared files.
// Run: bun src/sim/market/make-recorded-subset.ts [sharedDataDir]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_DATA_DIR, DEFAULT_DATA_DIR } from './csv-loader.ts';

/** UTC days kept: 09-04 … 09-06 (covers the 09-05 12:30 jobs-report spike and DOGE's gappy 09-06). */
export const SUBSET_FROM = '2025-09-04 00:00:00';
export const SUBSET_TO = '2025-09-07 00:00:00';

if (import.meta.main) {
  const src = process.argv[2] ?? DEFAULT_DATA_DIR;
  for (const base of ['BTC', 'ETH', 'XRP', 'SOL', 'DOGE']) {
    const name = `${base}_KRW_1m.csv`;
    const lines = readFileSync(join(src, name), 'utf8').split('\n');
    const kept = lines.filter((l, i) => i === 0 || (l >= SUBSET_FROM && l < SUBSET_TO));
    const gz = Bun.gzipSync(new TextEncoder().encode(`${kept.join('\n')}\n`), { level: 9 });
    writeFileSync(join(BUNDLED_DATA_DIR, `${name}.gz`), gz);
    console.log(`${name}.gz: ${kept.length - 1} rows, ${gz.length} bytes`);
  }
}

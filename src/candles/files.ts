// Candle files on disk: the market a file's name says, and the file's bytes (gunzipped when it ends in .gz).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** `BTC_KRW_1m.csv` (or `.csv.gz`) → KRW-BTC, `KRW-ETH_1m.json` → KRW-ETH; null when the name does not say. */
export function marketFromFileName(fileName: string): string | null {
  const name = basename(fileName);
  const a = /^([A-Z0-9]+)_KRW(?=[_.]|$)/i.exec(name);
  if (a) return `KRW-${a[1]!.toUpperCase()}`;
  const b = /^KRW-([A-Z0-9]+)(?=[_.]|$)/i.exec(name);
  return b ? `KRW-${b[1]!.toUpperCase()}` : null;
}

/** The file's bytes; a `.gz` file is gunzipped. */
export function readCandleBytes(path: string): Uint8Array {
  const raw = new Uint8Array(readFileSync(path));
  return path.endsWith('.gz') ? Bun.gunzipSync(raw) : raw;
}

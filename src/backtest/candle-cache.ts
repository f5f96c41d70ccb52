// Compact binary copy of parsed candle columns (header + six Float64 columns), keyed by the source's path, size, mtime, ctime, inode and offset.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CandleColumns } from '../candles/columns.ts';

/** ctime and inode as well as mtime: a copy that keeps the old mtime (cp -p, rsync -t, tar) still changes them. */
export type CacheKey = { path: string; size: number; mtimeMs: number; ctimeMs: number; ino: number; offsetMs: number };

const MAGIC = 0x32434243; // "CBC2" little-endian
const HEADER_F64 = 10; // magic+rows, size, mtime, offset, market (4 slots of 8 ASCII bytes = 32 chars), ctime, inode
const MARKET_BYTES = 32;

export const cacheFileOf = (dir: string, key: CacheKey): string =>
  join(dir, `${basename(key.path)}.${Bun.hash(key.path).toString(16)}.cbc`);

/** The cached columns when the cache file matches the key exactly; null otherwise (stale or absent). */
export function readCache(dir: string, key: CacheKey): { market: string | null; columns: CandleColumns } | null {
  const file = cacheFileOf(dir, key);
  if (!existsSync(file)) return null;
  const buf = readFileSync(file);
  if (buf.byteLength < HEADER_F64 * 8) return null;
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const head = new Float64Array(ab, 0, HEADER_F64);
  const u32 = new Uint32Array(ab, 0, 2);
  if (u32[0] !== MAGIC || head[1] !== key.size || head[2] !== key.mtimeMs || head[3] !== key.offsetMs || head[8] !== key.ctimeMs || head[9] !== key.ino) return null;
  const rows = u32[1]!;
  if (ab.byteLength !== HEADER_F64 * 8 + rows * 48) return null;
  const col = (i: number) => new Float64Array(ab, HEADER_F64 * 8 + i * rows * 8, rows);
  const market = new TextDecoder().decode(new Uint8Array(ab, 32, MARKET_BYTES)).replace(/\0+$/, '');
  return {
    market: market === '' ? null : market,
    columns: { length: rows, time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) },
  };
}

export function writeCache(dir: string, key: CacheKey, market: string | null, c: CandleColumns): void {
  mkdirSync(dir, { recursive: true });
  const ab = new ArrayBuffer(HEADER_F64 * 8 + c.length * 48);
  const head = new Float64Array(ab, 0, HEADER_F64);
  head[1] = key.size;
  head[2] = key.mtimeMs;
  head[3] = key.offsetMs;
  head[8] = key.ctimeMs;
  head[9] = key.ino;
  const u32 = new Uint32Array(ab, 0, 2);
  u32[0] = MAGIC;
  u32[1] = c.length;
  new Uint8Array(ab, 32, MARKET_BYTES).set(new TextEncoder().encode((market ?? '').slice(0, MARKET_BYTES)));
  [c.time, c.open, c.high, c.low, c.close, c.volume].forEach((a, i) => new Float64Array(ab, HEADER_F64 * 8 + i * c.length * 8, c.length).set(a.subarray(0, c.length)));
  writeFileSync(cacheFileOf(dir, key), new Uint8Array(ab));
}

// The one compare of secrets (dashboard password, API token, metrics token) in time independent of where or whether they differ.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * True when `a` and `b` are the same string. Both sides are hashed to 32 bytes first, so the compare never
 * exits early on a length difference and the time taken says nothing about the secret's length or content.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

// Small shared pieces: the self-re-arming polled region, signed-number styling, query strings.
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

export const POLL_TRIGGER = 'every 5s';

/** A region that re-fetches itself every 5 s and replaces itself (the response is the same element, so polling re-arms). */
export function Polled(props: { id: string; url: string; tag?: 'section' | 'header'; class?: string; children?: Child }) {
  const attrs = { id: props.id, class: props.class, 'hx-get': props.url, 'hx-trigger': POLL_TRIGGER, 'hx-swap': 'outerHTML' };
  return props.tag === 'header' ? <header {...attrs}>{props.children}</header> : <section {...attrs}>{props.children}</section>;
}

/** CSS class for a signed amount: "up" (gain) / "down" (loss) / "flat"; colours follow the locale's convention. */
export const signClass = (n: number | null | undefined) => (n === null || n === undefined || n === 0 ? 'flat' : n > 0 ? 'up' : 'down');

/** `/path?a=1&b=2` from the defined values, each URL-encoded. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** Seconds-precision age of an instant against `now`, or null when unknown. */
export const ageMs = (now: number, at: number | null) => (at === null ? null : Math.max(0, now - at));

// Shared zod pieces for the Upbit parsers: strict numbers (never NaN) and an error that names the bad field.
import { z } from 'zod';

/** A response did not have the documented shape; `cause` is the zod error. */
export class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse';
  constructor(
    readonly what: string,
    readonly field: string,
    detail: string,
    cause: unknown,
  ) {
    super(`Could not parse Upbit ${what}: field ${field} ${detail}`, { cause });
  }
}

const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A finite number given as a JSON number or a decimal string (Exchange amounts are strings). */
export const num = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : DECIMAL.test(v.trim()) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `is not a finite number (${JSON.stringify(v)})` });
    return z.NEVER;
  }
  return n;
});

/** Like num, but null/absent become null. */
export const optNum = num.nullish().transform((v) => v ?? null);

/** ISO time with an offset ("2025-07-04T15:00:00+09:00") → epoch ms. */
export const isoTime = z.string().transform((v, ctx) => {
  const t = Date.parse(v);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: `is not a valid time (${JSON.stringify(v)})` });
    return z.NEVER;
  }
  return t;
});

/** Upbit's zone-less UTC candle time ("2025-06-30T23:59:59") → epoch ms. */
export const utcCandleTime = z.string().transform((v, ctx) => {
  const t = /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? Date.parse(v) : Date.parse(`${v}Z`);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: `is not a valid UTC time (${JSON.stringify(v)})` });
    return z.NEVER;
  }
  return t;
});

/** The field path and what is wrong with it, from the first issue of a failed parse. */
function describeIssue(error: z.ZodError): { field: string; detail: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const detail = !issue ? 'is invalid' : /^Invalid input/.test(issue.message) ? `is missing or has the wrong type (${issue.message})` : issue.message;
  return { field, detail };
}

/** Parses with a schema, turning the first issue into a MalformedResponse that names the field path. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const { field, detail } = describeIssue(result.error);
  throw new MalformedResponse(what, field, detail, result.error);
}

/** A row left out of a list reply: its market code when it has one, the bad field and what is wrong. */
export type SkippedRow = { what: string; market: string | null; field: string; detail: string };

/**
 * For market-wide quotation lists only (never orders or balances): a reply that is not an array throws, but a row
 * that does not parse is left out and reported, so one odd market cannot stop the whole universe from loading.
 */
export function parseRows<S extends z.ZodType>(row: S, raw: unknown, what: string, onSkip?: (skipped: SkippedRow) => void): z.output<S>[] {
  const rows = parseWith(z.array(z.unknown()), raw, what);
  const out: z.output<S>[] = [];
  for (const r of rows) {
    const result = row.safeParse(r);
    if (result.success) {
      out.push(result.data);
      continue;
    }
    const code = (r as { market?: unknown } | null)?.market;
    onSkip?.({ what, market: typeof code === 'string' ? code : null, ...describeIssue(result.error) });
  }
  return out;
}

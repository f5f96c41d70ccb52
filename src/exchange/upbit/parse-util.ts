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

/** Parses with a schema, turning the first issue into a MalformedResponse that names the field path. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const detail = !issue ? 'is invalid' : /^Invalid input/.test(issue.message) ? `is missing or has the wrong type (${issue.message})` : issue.message;
  throw new MalformedResponse(what, field, detail, result.error);
}

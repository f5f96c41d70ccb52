// One line of text for anything thrown: "Name: message" for an Error, the string itself, or its JSON.
export const errorText = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message}` : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);

/** The innermost cause of an error chain (Drizzle's "Failed query: <sql> params: …" wraps the driver's own reason). */
export function rootCause(err: unknown): unknown {
  let e = err;
  while (e instanceof Error && e.cause !== undefined && e.cause !== e) e = e.cause;
  return e;
}

/** Short text for the owner: when the error wraps another, the innermost reason (after the outer name, unless that is a bare "Error"). */
export function rootErrorText(err: unknown): string {
  const root = rootCause(err);
  if (root === err) return errorText(err);
  const outer = err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : '';
  return `${outer}${errorText(root)}`;
}

// One line of text for anything thrown: "Name: message" for an Error, the string itself, or its JSON.
export const errorText = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message}` : typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);

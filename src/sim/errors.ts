// Upbit-shaped HTTP errors of the simulator: Exchange bodies carry a string name, Quotation bodies an integer one.

/** An error the simulator answers with `{"error":{"name","message"}}` and the given status. */
export class SimHttpError extends Error {
  override readonly name = 'SimHttpError';
  constructor(
    readonly status: number,
    readonly code: string | number,
    message: string,
  ) {
    super(message);
  }
  body(): { error: { name: string | number; message: string } } {
    return { error: { name: this.code, message: this.message } };
  }
}

/** Exchange (private) API error, e.g. 400 insufficient_funds_bid. */
export const exchangeError = (status: number, name: string, message: string): SimHttpError =>
  new SimHttpError(status, name, message);

export const QUOTATION_MESSAGES = {
  invalid: 'Invalid parameter. Check the given value!',
  missing: 'Missing request parameter error. Check the required parameters!',
  type: 'Type mismatch error. Check the parameters type!',
  notFound: 'Code not found',
} as const;

/** Quotation (public) API error: `name` is the integer status. */
export const quotationError = (status: 400 | 404, message: string): SimHttpError =>
  new SimHttpError(status, status, message);

// A local fake of Gemini's generateContent endpoint: scripted replies, recorded requests, reached via the SDK's baseUrl.

export type FakeGeminiReply =
  /** A well-formed reply whose text is JSON.stringify(answer). */
  | { kind: 'answer'; answer: unknown; usage?: Record<string, number> }
  /** A well-formed reply whose text is given verbatim (e.g. not JSON). */
  | { kind: 'text'; text: string; finishReason?: string }
  /** An error status with Google's JSON error body. */
  | { kind: 'status'; status: number; message?: string; retryDelaySeconds?: number }
  /** Waits `delayMs` (or until the client gives up), then answers with `then`. */
  | { kind: 'slow'; delayMs: number; then: FakeGeminiReply };

type Parts = { role?: string; parts?: { text?: string }[] };
/** The request body as the SDK sends it (only the fields the tests read). */
export type GeminiRequestBody = { contents?: Parts[]; systemInstruction?: Parts; generationConfig?: Record<string, unknown> };

export type FakeGeminiRequest = {
  method: string;
  path: string;
  search: string;
  apiVersion: string;
  model: string;
  headers: Record<string, string>;
  body: GeminiRequestBody;
  rawBody: string;
};

export type FakeGemini = {
  /** e.g. http://127.0.0.1:41234 — pass as GEMINI_BASE_URL / baseUrl. */
  readonly url: string;
  readonly requests: FakeGeminiRequest[];
  /** Queues replies used in order; when the queue is empty `fallback` answers. */
  script(...replies: FakeGeminiReply[]): void;
  /** Forgets scripted replies and recorded requests. */
  reset(): void;
  stop(): Promise<void>;
};

const PATH = /^\/(v1[a-z0-9]*)\/models\/([^/:]+):generateContent$/;

function replyBody(text: string, finishReason = 'STOP', usage: Record<string, number> = { promptTokenCount: 321, candidatesTokenCount: 42, totalTokenCount: 363 }) {
  return { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason, index: 0 }], usageMetadata: usage, modelVersion: 'fake' };
}

async function respond(reply: FakeGeminiReply, signal: AbortSignal): Promise<Response> {
  switch (reply.kind) {
    case 'answer':
      return Response.json(replyBody(JSON.stringify(reply.answer), 'STOP', reply.usage));
    case 'text':
      return Response.json(replyBody(reply.text, reply.finishReason));
    case 'status': {
      const details = reply.retryDelaySeconds === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${reply.retryDelaySeconds}s` }];
      const error = { code: reply.status, message: reply.message ?? `fake status ${reply.status}`, status: reply.status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL', details };
      return Response.json({ error }, { status: reply.status });
    }
    case 'slow':
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reply.delayMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      return respond(reply.then, signal);
  }
}

export function startFakeGemini(fallback: FakeGeminiReply = { kind: 'status', status: 500, message: 'no reply scripted' }): FakeGemini {
  const queue: FakeGeminiReply[] = [];
  const requests: FakeGeminiRequest[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const url = new URL(req.url);
      const m = PATH.exec(url.pathname);
      if (req.method !== 'POST' || !m) return Response.json({ error: { code: 404, message: 'not found' } }, { status: 404 });
      const text = await req.text();
      let body: GeminiRequestBody = {};
      try {
        body = JSON.parse(text) as GeminiRequestBody;
      } catch {
        // rawBody keeps it
      }
      requests.push({ method: req.method, path: url.pathname, search: url.search, apiVersion: m[1]!, model: decodeURIComponent(m[2]!), headers: Object.fromEntries(req.headers), body, rawBody: text });
      return respond(queue.shift() ?? fallback, req.signal);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    script: (...replies) => void queue.push(...replies),
    reset() {
      queue.length = 0;
      requests.length = 0;
    },
    stop: () => server.stop(true),
  };
}

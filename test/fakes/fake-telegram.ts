// A local fake Telegram Bot API on Bun.serve: records every call, serves scripted updates, can fail on demand.
import type { UserFromGetMe } from 'grammy/types';

export type FakeTgRequest = { method: string; token: string; body: Record<string, unknown> };
export type FakeTgFailure = { status: number; description: string; retryAfter?: number };
export type FakeUpdate = Record<string, unknown> & { update_id: number };

export type FakeTelegram = {
  apiRoot: string;
  token: string;
  /** Every call in arrival order (failed ones too). */
  readonly requests: FakeTgRequest[];
  /** Bodies of sendMessage calls that were answered ok, in order. */
  readonly sent: Record<string, unknown>[];
  /** Queues an update for getUpdates; returns it. */
  pushUpdate(update: Omit<FakeUpdate, 'update_id'>): FakeUpdate;
  /** A text message (a command is just text starting with "/") from a chat. */
  pushMessage(chatId: number, text: string, fromId?: number): FakeUpdate;
  /** The next n calls of `method` answer with this failure. */
  failNext(method: string, failure: FakeTgFailure, n?: number): void;
  /** The next n calls of `method` never get an answer (until close). */
  hangNext(method: string, n?: number): void;
  /** Every getUpdates from now on answers 409 "terminated by other getUpdates request". */
  setConflict(isOn: boolean): void;
  /** Resolves when at least `count` calls of `method` were made (rejects after `withinMs`). */
  waitFor(method: string, count?: number, withinMs?: number): Promise<FakeTgRequest[]>;
  close(): Promise<void>;
};

const BOT_INFO: UserFromGetMe = {
  id: 42, is_bot: true, first_name: 'CoinButler', username: 'coinbutler_test_bot',
  can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false,
  can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false,
  allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false,
};

/** The getMe answer, to pass as grammY's botInfo so a bot skips getMe. */
export const FAKE_BOT_INFO = BOT_INFO;

let builtId = 10_000;

/** A text message update (a leading "/word" is marked as a bot_command entity, as Telegram does). */
export function messageUpdate(chatId: number, text: string, fromId = chatId, updateId = builtId++): FakeUpdate {
  const command = text.startsWith('/') ? text.split(/\s/)[0]! : null;
  return {
    update_id: updateId,
    message: {
      message_id: builtId++, date: 0, text, chat: { id: chatId, type: 'private' },
      from: { id: fromId, is_bot: false, first_name: 'Owner' },
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  };
}

/** An inline-button press on one of the bot's messages. */
export function callbackUpdate(chatId: number, data: string, messageId: number, fromId = chatId, updateId = builtId++): FakeUpdate {
  return {
    update_id: updateId,
    callback_query: {
      id: `cb${updateId}`, chat_instance: 'ci', data, from: { id: fromId, is_bot: false, first_name: 'Owner' },
      message: { message_id: messageId, date: 0, chat: { id: chatId, type: 'private' }, text: '…', from: { ...BOT_INFO } },
    },
  };
}

export function createFakeTelegram(opts: { token?: string; holdMs?: number } = {}): FakeTelegram {
  const token = opts.token ?? '123456:TEST-token_abc';
  const holdMs = opts.holdMs ?? 20;
  const requests: FakeTgRequest[] = [];
  const sent: Record<string, unknown>[] = [];
  const updates: FakeUpdate[] = [];
  const failures = new Map<string, FakeTgFailure[]>();
  const waiters: { method: string; count: number; resolve: () => void }[] = [];
  let nextUpdateId = 1;
  let nextMessageId = 100;
  const hangs = new Map<string, number>();
  let isConflict = false;
  let wakeUp: (() => void) | null = null;

  const ok = (result: unknown) => Response.json({ ok: true, result });
  const fail = (f: FakeTgFailure) =>
    Response.json(
      { ok: false, error_code: f.status, description: f.description, ...(f.retryAfter !== undefined ? { parameters: { retry_after: f.retryAfter } } : {}) },
      { status: f.status },
    );
  const countOf = (method: string) => requests.filter((r) => r.method === method).length;
  const notify = () => {
    for (const w of [...waiters]) if (countOf(w.method) >= w.count) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  async function getUpdates(body: Record<string, unknown>): Promise<Response> {
    if (isConflict) return fail({ status: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const pending = () => updates.filter((u) => u.update_id >= offset);
    if (pending().length === 0 && body.limit !== 1) {
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        setTimeout(resolve, holdMs);
      });
    }
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    return ok(pending().slice(0, limit));
  }

  function answer(method: string, body: Record<string, unknown>): Response | Promise<Response> {
    const hanging = hangs.get(method) ?? 0;
    if (hanging > 0) {
      hangs.set(method, hanging - 1);
      return new Promise<Response>(() => {});
    }
    const queued = failures.get(method);
    const failure = queued?.shift();
    if (failure) return fail(failure);
    switch (method) {
      case 'getMe': return ok(BOT_INFO);
      case 'deleteWebhook': return ok(true);
      case 'getUpdates': return getUpdates(body);
      case 'sendMessage': {
        sent.push(body);
        const chat = { id: Number(body.chat_id), type: 'private' };
        return ok({ message_id: nextMessageId++, date: 0, chat, text: body.text });
      }
      case 'answerCallbackQuery': return ok(true);
      case 'editMessageText': return ok({ message_id: body.message_id, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text });
      default: return fail({ status: 404, description: `Not Found: method ${method} not faked` });
    }
  }

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url).pathname);
      if (!m) return new Response('not found', { status: 404 });
      const body = req.method === 'POST' ? ((await req.json().catch(() => ({}))) as Record<string, unknown>) : {};
      const method = m[2]!;
      requests.push({ method, token: decodeURIComponent(m[1]!), body });
      if (decodeURIComponent(m[1]!) !== token) return fail({ status: 401, description: 'Unauthorized' });
      try {
        return await answer(method, body);
      } finally {
        queueMicrotask(notify);
      }
    },
  });

  const pushUpdate = (update: Omit<FakeUpdate, 'update_id'>): FakeUpdate => {
    const u = { ...update, update_id: nextUpdateId++ } as FakeUpdate;
    updates.push(u);
    wakeUp?.();
    return u;
  };

  return {
    apiRoot: `http://127.0.0.1:${server.port}`,
    token,
    requests,
    sent,
    pushUpdate,
    pushMessage(chatId, text, fromId = chatId) {
      return pushUpdate(messageUpdate(chatId, text, fromId));
    },
    failNext(method, failure, n = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: n }, () => failure)]);
    },
    hangNext(method, n = 1) {
      hangs.set(method, (hangs.get(method) ?? 0) + n);
    },
    setConflict(isOn) {
      isConflict = isOn;
      wakeUp?.();
    },
    waitFor(method, count = 1, withinMs = 3_000) {
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          resolve(requests.filter((r) => r.method === method));
        };
        const timer = setTimeout(() => reject(new Error(`Fake Telegram saw ${countOf(method)} of ${count} ${method} calls`)), withinMs);
        waiters.push({ method, count, resolve: done });
        notify();
      });
    },
    async close() {
      await server.stop(true);
    },
  };
}

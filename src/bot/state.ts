// Bot run state (running | paused | halted), persisted, with the owner's commands shared by dashboard and Telegram.
// A daily-loss-limit stop is NOT a state: risk blocks entries and they resume by themselves at 00:00 KST.
import type { Clock } from '../clock.ts';
import type { BotStateRepo } from '../db/repos/bot-state.ts';
import type { Logger } from '../log.ts';
import type { BotEvent, HaltCode } from '../notify/events.ts';
import type { EventPublisher } from '../notify/notifier.ts';
import type { CommandResult, RunState, TradingMode } from './view.ts';

export const STATE_KEY = 'state';
export const HEARTBEAT_KEY = 'heartbeat';

export type RunStatus = { state: RunState; reason: string | null; since: number; haltCode: HaltCode | null };

export type StateCommand =
  | { type: 'pause'; by: string; reason?: string | null }
  | { type: 'resume'; by: string }
  | { type: 'halt'; code: HaltCode; detail: string }
  /** A person acknowledges a halt; the bot stays paused until resumed. */
  | { type: 'clear'; by: string };

export type Transition = { ok: true; next: RunStatus; changed: boolean; message: string } | { ok: false; message: string };

/**
 * The rules, pure. Only a person leaves `halted` (resume or clear); pause never overrides a halt;
 * a second halt keeps the first cause.
 */
export function transition(cur: RunStatus, cmd: StateCommand, now: number): Transition {
  const to = (state: RunState, reason: string | null, haltCode: HaltCode | null = null): RunStatus => ({ state, reason, since: now, haltCode });
  const same = (message: string): Transition => ({ ok: true, next: cur, changed: false, message });
  switch (cmd.type) {
    case 'pause':
      if (cur.state === 'halted') return { ok: false, message: 'The bot is halted, which already blocks entries; resume or clear it first' };
      if (cur.state === 'paused') return same('Already paused');
      return { ok: true, next: to('paused', cmd.reason ?? `paused by ${cmd.by}`), changed: true, message: 'Paused: no new entries, exits go on' };
    case 'resume':
      if (cur.state === 'running') return same('Already running');
      return { ok: true, next: to('running', null), changed: true, message: cur.state === 'halted' ? 'Halt cleared; running' : 'Running' };
    case 'halt':
      if (cur.state === 'halted') return same('Already halted');
      return { ok: true, next: to('halted', cmd.detail, cmd.code), changed: true, message: `Halted: ${cmd.detail}` };
    case 'clear':
      if (cur.state !== 'halted') return { ok: false, message: 'The bot is not halted' };
      return { ok: true, next: to('paused', `halt cleared by ${cmd.by}`), changed: true, message: 'Halt cleared; paused until resumed' };
  }
}

export type BotStateDeps = { repo: BotStateRepo; clock: Clock; publisher: EventPublisher; mode: TradingMode; logger: Logger };

export type BotState = {
  /** Reads the persisted state (running when none). Call once at boot before anything asks. */
  load(): Promise<RunStatus>;
  current(): RunStatus;
  /** New entries allowed by the run state (risk rules are checked elsewhere). Exits are always allowed. */
  isEntryAllowed(): boolean;
  pause(by: string, reason?: string | null): Promise<CommandResult>;
  resume(by: string): Promise<CommandResult>;
  clearHalt(by: string): Promise<CommandResult>;
  /** Halts at once in memory, then persists and notifies; true when this call halted the bot. */
  halt(code: HaltCode, detail: string): Promise<boolean>;
  heartbeat(): Promise<void>;
  lastHeartbeat(): Promise<number | null>;
};

export function createBotState(deps: BotStateDeps): BotState {
  const { repo, clock, publisher, mode, logger } = deps;
  let status: RunStatus = { state: 'paused', reason: 'state not loaded yet', since: clock.now(), haltCode: null };
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  function eventFor(prev: RunStatus, cmd: StateCommand, at: number): BotEvent | null {
    const base = { mode, at };
    if (cmd.type === 'pause') return { ...base, type: 'paused', by: cmd.by, reason: cmd.reason ?? null };
    if (cmd.type === 'resume') return { ...base, type: 'resumed', by: cmd.by, from: prev.state === 'halted' ? 'halted' : 'paused' };
    if (cmd.type === 'halt') return { ...base, type: 'halted', code: cmd.code, detail: cmd.detail };
    return { ...base, type: 'paused', by: cmd.by, reason: 'halt cleared' };
  }


  /** Saves and announces a transition already made in memory. */
  async function commit(prev: RunStatus, next: RunStatus, cmd: StateCommand, now: number): Promise<boolean> {
    try {
      await repo.set(STATE_KEY, next, now);
    } catch (err) {
      // A halt must hold even if it cannot be saved; any other command is undone (unless a halt came meanwhile).
      if (cmd.type !== 'halt') {
        if (status === next) status = prev;
        logger.error({ err, command: cmd.type }, 'could not save the bot state; command not applied');
        return false;
      }
      logger.error({ err }, 'could not save the halted state; halted in memory only');
    }
    logger.info({ from: prev.state, to: next.state, command: cmd.type, reason: next.reason }, 'bot state changed');
    const event = eventFor(prev, cmd, now);
    if (event) await publisher.publish(event);
    return true;
  }

  async function apply(cmd: StateCommand): Promise<Transition> {
    const prev = status;
    const now = clock.now();
    const t = transition(prev, cmd, now);
    if (!t.ok || !t.changed) return t;
    status = t.next;
    return (await commit(prev, t.next, cmd, now)) ? t : { ok: false, message: 'Could not save the new state; nothing changed' };
  }

  const command = async (cmd: StateCommand): Promise<CommandResult> => {
    const t = await serial(() => apply(cmd));
    return { ok: t.ok, message: t.message };
  };

  return {
    async load() {
      const saved = await repo.get<RunStatus>(STATE_KEY);
      status = saved?.value ?? { state: 'running', reason: null, since: clock.now(), haltCode: null };
      return status;
    },
    current: () => status,
    isEntryAllowed: () => status.state === 'running',
    pause: (by, reason) => command({ type: 'pause', by, reason: reason ?? null }),
    resume: (by) => command({ type: 'resume', by }),
    clearHalt: (by) => command({ type: 'clear', by }),
    async halt(code, detail) {
      const cmd: StateCommand = { type: 'halt', code, detail };
      const prev = status;
      const now = clock.now();
      const t = transition(prev, cmd, now);
      if (!t.ok || !t.changed) return false;
      status = t.next; // at once, before any queued command gets to run
      await serial(() => commit(prev, t.next, cmd, now));
      return true;
    },
    heartbeat: () => repo.set(HEARTBEAT_KEY, { at: clock.now() }, clock.now()),
    async lastHeartbeat() {
      return (await repo.get<{ at: number }>(HEARTBEAT_KEY))?.value.at ?? null;
    },
  };
}

// Pure renderers of the Telegram command answers, Korean or English, as Telegram HTML (dynamic text escaped).
import type { BotStatus, CommandResult, PositionView, TradingMode } from '../bot/view.ts';
import { createTools, modeBadge, type Locale, type Tools } from './format.ts';

export type ProfitView = { totalPnlKrw: number; trades: number; wins: number };
export type DailyView = { day: string; pnlKrw: number; limitKrw: number; isLimitHit: boolean; tradesToday: number };
export type ConfirmView = { code: string; ttlSec: number };

type Replies = {
  help(): string;
  status(s: BotStatus): string;
  balance(s: BotStatus): string;
  profit(p: ProfitView): string;
  daily(d: DailyView): string;
  positions(list: PositionView[]): string;
  result(action: string, r: CommandResult): string;
  confirmSell(p: PositionView, c: ConfirmView): string;
  confirmSellAll(count: number, c: ConfirmView): string;
  noPosition(market: string): string;
  noPositions(): string;
  sellUsage(): string;
  confirmUnknown(): string;
  confirmExpired(): string;
  cancelled(): string;
  unknownCommand(): string;
  failed(detail: string): string;
};

const COMMANDS = ['status', 'balance', 'profit', 'daily', 'positions', 'pause', 'resume', 'sell', 'sellall', 'help'] as const;
const HELP_KO: Record<(typeof COMMANDS)[number], string> = {
  status: '상태', balance: '잔고', profit: '누적 손익', daily: '오늘 손익·한도', positions: '보유 포지션',
  pause: '신규 진입 멈춤', resume: '재개', sell: '<code>/sell KRW-BTC</code> 한 종목 매도(확인 필요)', sellall: '전부 매도(확인 필요)', help: '도움말',
};
const HELP_EN: typeof HELP_KO = {
  status: 'bot state', balance: 'balance', profit: 'total PnL', daily: "today's PnL and limit", positions: 'open positions',
  pause: 'stop new entries', resume: 'resume', sell: '<code>/sell KRW-BTC</code> sell one (asks to confirm)', sellall: 'sell everything (asks to confirm)', help: 'this help',
};
const STATE_KO: Record<BotStatus['state'], string> = { running: '실행 중', paused: '일시정지', halted: '정지(HALT)' };
const STATE_EN: Record<BotStatus['state'], string> = { running: 'running', paused: 'paused', halted: 'HALTED' };

const orDash = (x: string | null, f: (s: string) => string) => (x === null ? '-' : f(x));
const pct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)}%`);

function positionLine(p: PositionView, t: Tools): string {
  const entry = p.entryPrice === null ? '-' : t.price(p.entryPrice);
  const now = p.currentPrice === null ? '-' : t.price(p.currentPrice);
  const pnl = p.pnlKrw === null ? '-' : t.pnl(p.pnlKrw, p.pnlRate);
  return `• ${t.b(t.v(p.market))} ${t.volume(p.volume)} · ${entry} → ${now} · ${pnl}${p.state === 'open' ? '' : ` (${t.v(p.state)})`}`;
}

function ko(t: Tools): Replies {
  return {
    help: () => `${t.b('명령어')}\n${COMMANDS.map((c) => `/${c} ${HELP_KO[c]}`).join('\n')}`,
    status: (s) =>
      `${t.b(`상태: ${STATE_KO[s.state]}`)}${s.stateReason ? ` (${t.v(s.stateReason)})` : ''}\n` +
      `포지션 ${t.v(s.openPositions)}/${t.v(s.maxPositions)} · 오늘 ${t.pnl(s.todayPnl, null)}${s.isDailyLimitHit ? ' · ⛔ 일일 한도 도달' : ''}\n` +
      `시세 ${s.feed.isUp ? '정상' : `끊김${s.feed.detail ? ` (${t.v(s.feed.detail)})` : ''}`} · 거래소 ${s.exchange.isDegraded ? `불안정 (${orDash(s.exchange.reason, t.v)})` : '정상'}`,
    balance: (s) => `${t.b('잔고')}\nKRW ${t.krw(s.krw)}\n평가자산 ${t.krw(s.equity)} (코인 ${t.krw(s.equity - s.krw)})`,
    profit: (p) => `${t.b('누적 실현손익')} ${t.pnl(p.totalPnlKrw, null)}\n거래 ${t.v(p.trades)}건 · 승 ${t.v(p.wins)} · 승률 ${t.v(pct(p.trades ? p.wins / p.trades : null))}`,
    daily: (d) =>
      `${t.b(`오늘 ${t.v(d.day)}`)} 실현손익 ${t.pnl(d.pnlKrw, null)} (거래 ${t.v(d.tradesToday)}건)\n` +
      `일일 손실 한도 ${t.pnl(d.limitKrw, null)}${d.isLimitHit ? ' · ⛔ 도달, 신규 진입 없음' : ` · 남은 여유 ${t.krw(Math.max(0, d.pnlKrw - d.limitKrw))}`}`,
    positions: (list) => (list.length === 0 ? '보유 포지션 없음' : `${t.b(`보유 포지션 ${list.length}개`)}\n${list.map((p) => positionLine(p, t)).join('\n')}`),
    result: (action, r) => `${r.ok ? '✅' : '❌'} ${t.v(action)}: ${t.v(r.message)}`,
    confirmSell: (p, c) =>
      `❗ ${t.b(`${t.v(p.market)} 매도?`)} 수량 ${t.volume(p.volume)}${p.pnlKrw !== null ? ` · 현재 ${t.pnl(p.pnlKrw, p.pnlRate)}` : ''}\n` +
      `${t.v(c.ttlSec)}초 안에 버튼을 누르거나 <code>/confirm ${t.v(c.code)}</code> 를 보내세요.`,
    confirmSellAll: (n, c) =>
      `❗ ${t.b(`포지션 ${t.v(n)}개 전부 매도?`)}\n${t.v(c.ttlSec)}초 안에 버튼을 누르거나 <code>/confirm ${t.v(c.code)}</code> 를 보내세요.`,
    noPosition: (m) => `${t.v(m)} 보유 포지션이 없습니다.`,
    noPositions: () => '보유 포지션이 없습니다.',
    sellUsage: () => '사용법: <code>/sell KRW-BTC</code>',
    confirmUnknown: () => '확인 코드가 맞지 않습니다. 아무것도 실행하지 않았습니다.',
    confirmExpired: () => '확인 시간이 지났습니다. 아무것도 실행하지 않았습니다. 다시 요청하세요.',
    cancelled: () => '취소했습니다.',
    unknownCommand: () => '모르는 명령입니다. /help',
    failed: (d) => `❌ 처리하지 못했습니다: ${t.v(d)}`,
  };
}

function en(t: Tools): Replies {
  return {
    help: () => `${t.b('Commands')}\n${COMMANDS.map((c) => `/${c} ${HELP_EN[c]}`).join('\n')}`,
    status: (s) =>
      `${t.b(`State: ${STATE_EN[s.state]}`)}${s.stateReason ? ` (${t.v(s.stateReason)})` : ''}\n` +
      `Positions ${t.v(s.openPositions)}/${t.v(s.maxPositions)} · today ${t.pnl(s.todayPnl, null)}${s.isDailyLimitHit ? ' · ⛔ daily limit hit' : ''}\n` +
      `Feed ${s.feed.isUp ? 'up' : `down${s.feed.detail ? ` (${t.v(s.feed.detail)})` : ''}`} · exchange ${s.exchange.isDegraded ? `degraded (${orDash(s.exchange.reason, t.v)})` : 'ok'}`,
    balance: (s) => `${t.b('Balance')}\nKRW ${t.krw(s.krw)}\nEquity ${t.krw(s.equity)} (coins ${t.krw(s.equity - s.krw)})`,
    profit: (p) => `${t.b('Realised PnL')} ${t.pnl(p.totalPnlKrw, null)}\n${t.v(p.trades)} trades · ${t.v(p.wins)} won · win rate ${t.v(pct(p.trades ? p.wins / p.trades : null))}`,
    daily: (d) =>
      `${t.b(`Today ${t.v(d.day)}`)} realised ${t.pnl(d.pnlKrw, null)} (${t.v(d.tradesToday)} trades)\n` +
      `Daily loss limit ${t.pnl(d.limitKrw, null)}${d.isLimitHit ? ' · ⛔ hit, no new entries' : ` · room left ${t.krw(Math.max(0, d.pnlKrw - d.limitKrw))}`}`,
    positions: (list) => (list.length === 0 ? 'No open positions' : `${t.b(`${list.length} open position${list.length === 1 ? '' : 's'}`)}\n${list.map((p) => positionLine(p, t)).join('\n')}`),
    result: (action, r) => `${r.ok ? '✅' : '❌'} ${t.v(action)}: ${t.v(r.message)}`,
    confirmSell: (p, c) =>
      `❗ ${t.b(`Sell ${t.v(p.market)}?`)} volume ${t.volume(p.volume)}${p.pnlKrw !== null ? ` · now ${t.pnl(p.pnlKrw, p.pnlRate)}` : ''}\n` +
      `Press the button or send <code>/confirm ${t.v(c.code)}</code> within ${t.v(c.ttlSec)} s.`,
    confirmSellAll: (n, c) =>
      `❗ ${t.b(`Sell all ${t.v(n)} positions?`)}\nPress the button or send <code>/confirm ${t.v(c.code)}</code> within ${t.v(c.ttlSec)} s.`,
    noPosition: (m) => `No open position in ${t.v(m)}.`,
    noPositions: () => 'No open positions.',
    sellUsage: () => 'Usage: <code>/sell KRW-BTC</code>',
    confirmUnknown: () => 'That confirmation code does not match; nothing was done.',
    confirmExpired: () => 'The confirmation expired; nothing was done. Ask again.',
    cancelled: () => 'Cancelled.',
    unknownCommand: () => 'Unknown command. /help',
    failed: (d) => `❌ Could not do that: ${t.v(d)}`,
  };
}

/** The answers for one locale, each prefixed with the mode badge so PAPER/DEMO/LIVE is never in doubt. */
export function createReplies(locale: Locale, mode: TradingMode): Replies {
  const t = createTools({ locale, format: 'html' });
  const r = locale === 'ko' ? ko(t) : en(t);
  const badge = t.b(t.v(modeBadge(mode, locale)));
  return Object.fromEntries(
    Object.entries(r).map(([k, f]) => [k, (...args: unknown[]) => `${badge} ${(f as (...a: unknown[]) => string)(...args)}`]),
  ) as Replies;
}

export type { Replies };

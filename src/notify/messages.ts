// Message templates per locale and event type. Every dynamic piece goes through t.v / t.krw / … (escaped in HTML).
import type { BotEventType, EventOf, ExitReason, HaltCode } from './events.ts';

export type Locale = 'ko' | 'en';

/** Helpers a template uses: `v` for every dynamic piece (escaped in HTML), `b` for emphasis of safe text. */
export type Tools = {
  locale: Locale;
  v(x: string | number): string;
  b(safe: string): string;
  krw(n: number): string;
  price(n: number): string;
  volume(n: number): string;
  pnl(krw: number, rate: number | null): string;
  rate(r: number): string;
};

type Templates = { [K in BotEventType]: (e: EventOf<K>, t: Tools) => string };

const EXIT_KO: Record<ExitReason, string> = {
  'take-profit': '익절',
  'stop-loss': '손절',
  'trailing-stop': '트레일링 스탑',
  'max-hold': '최대 보유시간',
  manual: '수동 매도',
  external: '외부 매도',
  'end-of-data': '데이터 종료',
};
const EXIT_EN: Record<ExitReason, string> = {
  'take-profit': 'take-profit',
  'stop-loss': 'stop-loss',
  'trailing-stop': 'trailing stop',
  'max-hold': 'max holding time',
  manual: 'manual',
  external: 'sold outside the bot',
  'end-of-data': 'end of data',
};
const HALT_TODO_KO: Record<HaltCode, string> = {
  'auth-failed': 'API 키를 확인·재발급한 뒤 /resume 하세요.',
  'ip-not-allowed': '이 서버의 IP를 API 키 허용 목록에 추가한 뒤 /resume 하세요.',
  'out-of-scope': 'API 키에 필요한 권한(자산조회·주문)을 켠 뒤 /resume 하세요.',
  'repeated-errors': '로그를 확인하고 원인을 해결한 뒤 /resume 하세요.',
  manual: '확인 후 /resume 하세요.',
  other: '로그를 확인한 뒤 /resume 하세요.',
};
const HALT_TODO_EN: Record<HaltCode, string> = {
  'auth-failed': 'Check or reissue the API keys, then /resume.',
  'ip-not-allowed': "Add this server's IP to the API key's allowed list, then /resume.",
  'out-of-scope': 'Enable the permissions the bot needs on the API key (accounts, orders), then /resume.',
  'repeated-errors': 'Read the log, fix the cause, then /resume.',
  manual: 'Check, then /resume.',
  other: 'Read the log, then /resume.',
};

const side = (s: 'buy' | 'sell', locale: Locale) => (locale === 'ko' ? (s === 'buy' ? '매수' : '매도') : s);
const winRate = (wins: number, trades: number) => (trades === 0 ? '-' : `${((wins / trades) * 100).toFixed(1)}%`);

const KO: Templates = {
  started: (e, t) => `🤖 CoinButler 시작${e.version ? ` (v${t.v(e.version)})` : ''}`,
  stopped: (e, t) => `⏹ CoinButler 종료: ${t.v(e.reason)}`,
  buy: (e, t) =>
    `🟢 ${t.b(`매수 ${t.v(e.market)}`)}\n체결가 ${t.price(e.price)}원 · 금액 ${t.krw(e.amountKrw)} · 수량 ${t.volume(e.volume)}\n` +
    `사유: ${e.reason === 'signal' ? `거래량 급증${e.signalRatio ? ` ${t.v(e.signalRatio.toFixed(2))}배` : ''}` : '수동 매수'}` +
    (e.adviser ? `\nAI 추천(${t.v(e.adviser.name)}): ${t.v(e.adviser.pick)}${e.adviser.confidence !== null ? `, 신뢰도 ${t.v(e.adviser.confidence)}/10` : ''}` : ''),
  sell: (e, t) =>
    `${e.pnlKrw >= 0 ? '💰' : '🔻'} ${t.b(`매도 ${t.v(e.market)}`)} (${EXIT_KO[e.reason]})\n체결가 ${t.price(e.price)}원 · 수량 ${t.volume(e.volume)}\n손익 ${t.b(t.pnl(e.pnlKrw, e.pnlRate))}`,
  'daily-limit-hit': (e, t) =>
    `⛔ ${t.b('일일 손실 한도 도달')} (${t.v(e.day)})\n실현손익 ${t.pnl(e.realisedKrw, null)} / 한도 ${t.pnl(e.limitKrw, null)}\n신규 진입을 멈춥니다. 청산은 계속되며 00:00 KST에 자동 재개됩니다.`,
  'daily-limit-reset': (e, t) => `🌅 새 거래일 ${t.v(e.day)}: 일일 손실 한도가 초기화되었습니다.`,
  halted: (e, t) => `🛑 ${t.b('봇 정지 (HALT)')}\n원인: ${t.v(e.detail)}\n조치: ${HALT_TODO_KO[e.code]}`,
  resumed: (e, t) => `▶️ 거래 재개 (${e.from === 'halted' ? '정지 해제' : '일시정지 해제'}, ${t.v(e.by)})`,
  paused: (e, t) => `⏸ 일시정지 (${t.v(e.by)})${e.reason ? `: ${t.v(e.reason)}` : ''}\n신규 진입 없음, 청산은 계속됩니다.`,
  'reconcile-discrepancy': (e, t) =>
    `⚠️ ${t.b('잔고/주문 불일치')}${e.market ? ` ${t.v(e.market)}` : ''} (${t.v(e.kind)})\n${t.v(e.details)}\n자동으로 고치지 않았습니다. 확인해 주세요.`,
  'daily-summary': (e, t) =>
    `📊 ${t.b(`일일 요약 ${t.v(e.day)}`)}\n거래 ${t.v(e.trades)}건 (승 ${t.v(e.wins)} / 패 ${t.v(e.losses)}, 승률 ${t.v(winRate(e.wins, e.trades))})\n` +
    `손익 ${t.pnl(e.pnlKrw, null)} · 평가자산 ${t.krw(e.equityKrw)}`,
  'feed-down': (e, t) => `📡 시세 수신 끊김: ${t.v(e.detail)}\n재연결 중입니다. 그동안 신규 진입은 없습니다.`,
  'feed-up': (e, t) => `📡 시세 수신 복구 (${t.v(Math.round(e.downMs / 1000))}초 만에)`,
  'order-unknown': (e, t) =>
    `❓ ${t.b('주문 결과 불명')} ${t.v(e.market)} ${side(e.side, 'ko')}\n${t.v(e.detail)}\n식별자 ${t.v(e.identifier)}로 확인 중이며 재주문하지 않습니다.`,
  'exit-failed': (e, t) =>
    `🚨 ${t.b(`매도 실패 ${t.v(e.market)}`)} (${EXIT_KO[e.reason]}, ${t.v(e.failures)}회째)\n원인: ${t.v(e.detail)}\n` +
    `${t.v(Math.round(e.retryInMs / 1000))}초 후 다시 시도합니다. 그때까지 이 포지션은 보호되지 않습니다.`,
};

const EN: Templates = {
  started: (e, t) => `🤖 CoinButler started${e.version ? ` (v${t.v(e.version)})` : ''}`,
  stopped: (e, t) => `⏹ CoinButler stopped: ${t.v(e.reason)}`,
  buy: (e, t) =>
    `🟢 ${t.b(`BUY ${t.v(e.market)}`)}\nPrice ${t.price(e.price)} · Amount ${t.krw(e.amountKrw)} · Volume ${t.volume(e.volume)}\n` +
    `Reason: ${e.reason === 'signal' ? `volume spike${e.signalRatio ? ` ${t.v(e.signalRatio.toFixed(2))}×` : ''}` : 'manual buy'}` +
    (e.adviser ? `\nAI pick (${t.v(e.adviser.name)}): ${t.v(e.adviser.pick)}${e.adviser.confidence !== null ? `, confidence ${t.v(e.adviser.confidence)}/10` : ''}` : ''),
  sell: (e, t) =>
    `${e.pnlKrw >= 0 ? '💰' : '🔻'} ${t.b(`SELL ${t.v(e.market)}`)} (${EXIT_EN[e.reason]})\nPrice ${t.price(e.price)} · Volume ${t.volume(e.volume)}\nPnL ${t.b(t.pnl(e.pnlKrw, e.pnlRate))}`,
  'daily-limit-hit': (e, t) =>
    `⛔ ${t.b('Daily loss limit reached')} (${t.v(e.day)})\nRealised ${t.pnl(e.realisedKrw, null)} / limit ${t.pnl(e.limitKrw, null)}\nNo new entries; exits go on. Trading resumes by itself at 00:00 KST.`,
  'daily-limit-reset': (e, t) => `🌅 New trading day ${t.v(e.day)}: the daily loss limit is reset.`,
  halted: (e, t) => `🛑 ${t.b('Bot HALTED')}\nCause: ${t.v(e.detail)}\nTo do: ${HALT_TODO_EN[e.code]}`,
  resumed: (e, t) => `▶️ Trading resumed (${e.from === 'halted' ? 'halt cleared' : 'pause ended'}, by ${t.v(e.by)})`,
  paused: (e, t) => `⏸ Paused (by ${t.v(e.by)})${e.reason ? `: ${t.v(e.reason)}` : ''}\nNo new entries; exits go on.`,
  'reconcile-discrepancy': (e, t) =>
    `⚠️ ${t.b('Reconcile discrepancy')}${e.market ? ` ${t.v(e.market)}` : ''} (${t.v(e.kind)})\n${t.v(e.details)}\nNot fixed automatically; please check.`,
  'daily-summary': (e, t) =>
    `📊 ${t.b(`Daily summary ${t.v(e.day)}`)}\n${t.v(e.trades)} trades (${t.v(e.wins)} won / ${t.v(e.losses)} lost, win rate ${t.v(winRate(e.wins, e.trades))})\n` +
    `PnL ${t.pnl(e.pnlKrw, null)} · Equity ${t.krw(e.equityKrw)}`,
  'feed-down': (e, t) => `📡 Market feed down: ${t.v(e.detail)}\nReconnecting; no new entries meanwhile.`,
  'feed-up': (e, t) => `📡 Market feed back (after ${t.v(Math.round(e.downMs / 1000))} s)`,
  'order-unknown': (e, t) =>
    `❓ ${t.b('Order outcome unknown')} ${t.v(e.market)} ${side(e.side, 'en')}\n${t.v(e.detail)}\nLooking it up by identifier ${t.v(e.identifier)}; it will not be re-sent.`,
  'exit-failed': (e, t) =>
    `🚨 ${t.b(`SELL FAILED ${t.v(e.market)}`)} (${EXIT_EN[e.reason]}, attempt ${t.v(e.failures)})\nCause: ${t.v(e.detail)}\n` +
    `Retrying in ${t.v(Math.round(e.retryInMs / 1000))} s; the position is unprotected until the sell goes through.`,
};

export const MESSAGES: Readonly<Record<Locale, Templates>> = { ko: KO, en: EN };


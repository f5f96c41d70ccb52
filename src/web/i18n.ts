// The dashboard's words: a Korean dictionary (default) and its English twin; every visible label comes from here.
import type { DurationUnits } from './format.ts';

export type Locale = 'ko' | 'en';

const ko = {
  appTitle: 'CoinButler 대시보드',
  'mode.paper': '모의투자', 'mode.demo': '데모 (시뮬레이터)', 'mode.live': '실거래',
  'state.running': '실행 중', 'state.paused': '일시정지', 'state.halted': '중단됨',
  feed: '시세 연결', feedUp: '연결됨', feedDown: '끊김', lastTick: '마지막 체결 {age} 전', noTick: '체결 없음',
  reconnects: '재연결 {n}회', heartbeat: '하트비트', heartbeatAge: '{age} 전', never: '없음', exchangeDegraded: '거래소 지연: {reason}',
  clock: '현재 시각 (KST)',
  pause: '일시정지', resume: '재개', sell: '매도', sellAll: '전체 매도', logout: '로그아웃',
  confirmSell: '{market} 포지션을 시장가로 매도할까요?', confirmSellAll: '보유한 모든 포지션을 시장가로 매도할까요?',
  flashOk: '완료: {message}', flashFailed: '거부됨: {message}',
  actionTimeout: '{seconds}초 안에 응답이 없습니다. 명령이 아직 실행 중일 수 있으니 보유 포지션 표에서 결과를 확인하세요',
  actionUnreachable: '봇에 연결하지 못했습니다. 명령이 전달되었는지 알 수 없으니 다시 누르기 전에 보유 포지션 표를 확인하세요',
  krwBalance: 'KRW 잔고', equity: '총 평가자산', todayPnl: '오늘 손익', lossLimit: '일일 손실 한도 {limit}',
  limitHit: '한도 도달 — 신규 진입 중지', openPositions: '보유 포지션', winRate: '승률', tradeCount: '{n}건',
  aiQuota: 'AI 사용량 (이번 달)', aiOff: 'AI 꺼짐 (규칙 기반 선택)',
  positions: '보유 포지션', market: '마켓', entry: '매수가', current: '현재가', pnl: '손익', pnlRate: '수익률',
  takeProfit: '익절가', stopLoss: '손절가', held: '보유 시간', noPositions: '보유 중인 포지션이 없습니다',
  'pos.opening': '매수 중', 'pos.open': '보유', 'pos.closing': '매도 중',
  chart: '차트', chartMarket: '마켓 선택', noChartMarkets: '표시할 마켓이 없습니다',
  buy: '매수', sellMarker: '매도', tpLine: '익절', slLine: '손절', entryLine: '진입',
  trades: '거래 내역', result: '결과', all: '전체', win: '수익', loss: '손실', apply: '적용', csv: 'CSV 다운로드',
  count: '거래 수', avgWin: '평균 수익', avgLoss: '평균 손실', totalPnl: '총 손익', best: '최고', worst: '최저',
  badMarket: '마켓 "{value}"은(는) 마켓 코드가 아닙니다. KRW-BTC 또는 BTC처럼 입력하세요', closedAt: '청산 시각', exit: '매도가', quantity: '수량', reason: '사유', noTrades: '거래 내역이 없습니다',
  prev: '이전', next: '다음', pageOf: '{page} / {pages} 페이지', cumulativePnl: '누적 손익', dailyPnl: '일별 손익',
  'exit.take-profit': '익절', 'exit.stop-loss': '손절', 'exit.trailing-stop': '트레일링 스탑', 'exit.max-hold': '보유시간 초과',
  'exit.end-of-data': '데이터 종료', 'exit.manual': '수동 매도',
  decisions: 'AI 판단', time: '시각', candidates: '후보 (거래량 배수)', pick: '선택', confidence: '확신도', risk: '위험',
  latency: '응답 시간', outcome: '처리', noPick: '없음', noDecisions: 'AI 판단 기록이 없습니다',
  'outcome.taken': '진입', 'outcome.vetoed': '거부', 'outcome.fallback': '대체 선택', 'outcome.skipped': '건너뜀',
  logs: '로그', level: '레벨', kind: '종류', message: '내용', noLogs: '로그가 없습니다', autoRefresh: '5초마다 자동 갱신',
  'level.debug': '디버그', 'level.info': '정보', 'level.warn': '경고', 'level.error': '오류',
  settings: '설정', setting: '항목', value: '값', secretSet: '설정됨 (숨김)', secretUnset: '미설정',
  login: '로그인', password: '비밀번호', wrongPassword: '비밀번호가 틀렸습니다',
  lockedOut: '로그인 시도가 너무 많습니다. 잠시 후 다시 시도하세요',
  krwUnit: '원', 'unit.d': '일', 'unit.h': '시간', 'unit.m': '분', 'unit.s': '초',
} as const;

export type MessageKey = keyof typeof ko;

const en: Record<MessageKey, string> = {
  appTitle: 'CoinButler dashboard',
  'mode.paper': 'Paper trading', 'mode.demo': 'Demo (simulator)', 'mode.live': 'Live trading',
  'state.running': 'Running', 'state.paused': 'Paused', 'state.halted': 'Halted',
  feed: 'Market feed', feedUp: 'connected', feedDown: 'down', lastTick: 'last tick {age} ago', noTick: 'no tick yet',
  reconnects: '{n} reconnects', heartbeat: 'Heartbeat', heartbeatAge: '{age} ago', never: 'never', exchangeDegraded: 'Exchange degraded: {reason}',
  clock: 'Time (KST)',
  pause: 'Pause', resume: 'Resume', sell: 'Sell', sellAll: 'Sell all', logout: 'Log out',
  confirmSell: 'Sell the {market} position at market?', confirmSellAll: 'Sell every open position at market?',
  flashOk: 'Done: {message}', flashFailed: 'Refused: {message}',
  actionTimeout: 'No answer within {seconds} s: the command may still be running; watch the positions table for the result',
  actionUnreachable: 'Could not reach the bot: the command may or may not have arrived; check the positions table before pressing again',
  krwBalance: 'KRW balance', equity: 'Total equity', todayPnl: "Today's PnL", lossLimit: 'Daily loss limit {limit}',
  limitHit: 'Limit hit — no new entries', openPositions: 'Open positions', winRate: 'Win rate', tradeCount: '{n} trades',
  aiQuota: 'AI quota this month', aiOff: 'AI off (rule-based pick)',
  positions: 'Positions', market: 'Market', entry: 'Entry', current: 'Current', pnl: 'PnL', pnlRate: 'Return',
  takeProfit: 'Take profit', stopLoss: 'Stop loss', held: 'Held', noPositions: 'No open positions',
  'pos.opening': 'buying', 'pos.open': 'open', 'pos.closing': 'selling',
  chart: 'Chart', chartMarket: 'Market', noChartMarkets: 'No market to chart yet',
  buy: 'BUY', sellMarker: 'SELL', tpLine: 'TP', slLine: 'SL', entryLine: 'Entry',
  trades: 'Trade history', result: 'Result', all: 'All', win: 'Win', loss: 'Loss', apply: 'Apply', csv: 'Download CSV',
  count: 'Trades', avgWin: 'Avg win', avgLoss: 'Avg loss', totalPnl: 'Total PnL', best: 'Best', worst: 'Worst',
  badMarket: 'Market "{value}" is not a market code; type it as KRW-BTC or BTC', closedAt: 'Closed', exit: 'Exit', quantity: 'Quantity', reason: 'Reason', noTrades: 'No trades yet',
  prev: 'Previous', next: 'Next', pageOf: 'Page {page} of {pages}', cumulativePnl: 'Cumulative PnL', dailyPnl: 'Daily PnL',
  'exit.take-profit': 'take profit', 'exit.stop-loss': 'stop loss', 'exit.trailing-stop': 'trailing stop', 'exit.max-hold': 'max hold time',
  'exit.end-of-data': 'end of data', 'exit.manual': 'manual sell',
  decisions: 'AI decisions', time: 'Time', candidates: 'Candidates (volume ratio)', pick: 'Pick', confidence: 'Confidence', risk: 'Risk',
  latency: 'Latency', outcome: 'Outcome', noPick: 'none', noDecisions: 'No AI decisions recorded',
  'outcome.taken': 'taken', 'outcome.vetoed': 'vetoed', 'outcome.fallback': 'fallback', 'outcome.skipped': 'skipped',
  logs: 'Log', level: 'Level', kind: 'Kind', message: 'Message', noLogs: 'No log entries', autoRefresh: 'Refreshes every 5 s',
  'level.debug': 'debug', 'level.info': 'info', 'level.warn': 'warning', 'level.error': 'error',
  settings: 'Settings', setting: 'Setting', value: 'Value', secretSet: 'set (hidden)', secretUnset: 'not set',
  login: 'Log in', password: 'Password', wrongPassword: 'Wrong password',
  lockedOut: 'Too many login attempts; try again later',
  krwUnit: 'KRW', 'unit.d': 'd', 'unit.h': 'h', 'unit.m': 'm', 'unit.s': 's',
};

const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { ko, en };

export type I18n = {
  locale: Locale;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A label for a value from an open set (exit reason, outcome): the dictionary's word, or the value itself. */
  label(prefix: 'exit' | 'outcome' | 'level' | 'pos' | 'state' | 'mode', value: string): string;
  units: DurationUnits;
};

export function createI18n(locale: Locale = 'ko'): I18n {
  const dict = DICTIONARIES[locale];
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    dict[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  const label = (prefix: string, value: string) => {
    const key = `${prefix}.${value}`;
    return key in dict ? dict[key as MessageKey] : value;
  };
  return { locale, t, label, units: { d: dict['unit.d'], h: dict['unit.h'], m: dict['unit.m'], s: dict['unit.s'] } };
}

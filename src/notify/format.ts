// Pure formatters: a BotEvent → a short message, Korean or English, as plain text or Telegram-safe HTML.
import { krwTickSize, tickDecimals, toDecimalString } from '../core/ticks.ts';
import type { BotEvent, TradingMode } from './events.ts';
import { MESSAGES, type Locale, type Tools } from './messages.ts';

export type { Locale, Tools };
export type TextFormat = 'text' | 'html';
export type FormatOptions = { locale: Locale; format?: TextFormat };

/** Escapes text for Telegram's HTML parse mode (element content). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for an HTML attribute value in double quotes. */
export function escapeHtmlAttr(s: string): string {
  return escapeHtml(s).replace(/"/g, '&quot;');
}

const grouped = (n: number, decimals: number): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });

/** Whole KRW with thousands separators, no unit: 1234567.8 → "1,234,568". */
export function formatKrwNumber(krw: number): string {
  const r = Math.round(krw);
  return grouped(r === 0 ? 0 : r, 0);
}

/** Whole KRW with the locale's unit: "100,000원" / "100,000 KRW". */
export function formatKrw(krw: number, locale: Locale): string {
  const n = formatKrwNumber(krw);
  return locale === 'ko' ? `${n}원` : `${n} KRW`;
}

/** A KRW price at its tick precision: 143250000 → "143,250,000", 2.345 → "2.35" (tick 0.01). */
export function formatPrice(price: number): string {
  return grouped(price, tickDecimals(krwTickSize(price)));
}

/** A base-asset volume, up to 8 decimals, no trailing zeros. */
export function formatVolume(volume: number): string {
  return toDecimalString(volume);
}

const sign = (n: number): string => (n > 0 ? '+' : n < 0 ? '-' : '');

/** A fraction as a signed percentage with 2 decimals: 0.0123 → "+1.23%". */
export function formatRate(rate: number): string {
  const abs = Math.abs(rate * 100);
  const text = abs.toFixed(2);
  return `${text === '0.00' ? '' : sign(rate)}${text}%`;
}

/** Signed KRW PnL with its percentage: "+3,000원 (+3.00%)". */
export function formatPnl(pnlKrw: number, pnlRate: number | null, locale: Locale): string {
  const abs = formatKrw(Math.abs(pnlKrw), locale);
  const money = `${Math.round(Math.abs(pnlKrw)) === 0 ? '' : sign(pnlKrw)}${abs}`;
  return pnlRate === null ? money : `${money} (${formatRate(pnlRate)})`;
}

const BADGE: Record<Locale, Record<TradingMode, string>> = {
  ko: { paper: 'PAPER 모의', demo: 'DEMO 데모', live: 'LIVE 실거래' },
  en: { paper: 'PAPER', demo: 'DEMO', live: 'LIVE' },
};

/** The mode badge; the English word is always present so a LIVE message can never be mistaken. */
export function modeBadge(mode: TradingMode, locale: Locale): string {
  return `[${BADGE[locale][mode]}]`;
}

export function createTools(opts: FormatOptions): Tools {
  const isHtml = opts.format === 'html';
  const v = (x: string | number): string => (isHtml ? escapeHtml(String(x)) : String(x));
  return {
    locale: opts.locale,
    v,
    b: (safe) => (isHtml ? `<b>${safe}</b>` : safe),
    krw: (n) => v(formatKrw(n, opts.locale)),
    price: (n) => v(formatPrice(n)),
    volume: (n) => v(formatVolume(n)),
    pnl: (krw, rate) => v(formatPnl(krw, rate, opts.locale)),
    rate: (r) => v(formatRate(r)),
  };
}

/** The whole message: the mode badge, then the event's text. */
export function formatEvent(event: BotEvent, opts: FormatOptions): string {
  const t = createTools(opts);
  const render = MESSAGES[opts.locale][event.type] as (e: BotEvent, tools: Tools) => string;
  return `${t.b(t.v(modeBadge(event.mode, opts.locale)))} ${render(event, t)}`;
}

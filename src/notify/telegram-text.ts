// Pure text helpers for Telegram: split HTML at the 4096-character limit, HTML → plain text for the fallback.

/** Telegram's limit on one message's text (https://core.telegram.org/bots/api#sendmessage). */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Appended to the last part when a text needs more than maxParts messages. */
export const TRUNCATION_MARK = '\n…';

/**
 * The largest cut ≤ limit that is not inside a tag (`<…>`), an entity (`&…;`) or a surrogate pair,
 * preferring a space in the last quarter. Always ≥ 1.
 */
export function safeCut(text: string, limit: number): number {
  let cut = Math.min(limit, text.length);
  if (cut >= text.length) return text.length;
  const openTag = text.lastIndexOf('<', cut - 1);
  if (openTag > text.lastIndexOf('>', cut - 1)) cut = openTag;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > text.lastIndexOf(';', cut - 1) && cut - amp <= 10) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const space = text.lastIndexOf(' ', cut - 1);
  if (space > cut * 0.75) cut = space + 1;
  return Math.max(1, cut);
}

function packLines(text: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (joined.length <= limit) {
      current = joined;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > limit) {
      const cut = safeCut(rest, limit);
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  flush();
  return parts;
}

/**
 * Splits a message into parts of at most `limit` characters, at line breaks where possible; beyond
 * maxParts the rest is dropped and the last part ends with TRUNCATION_MARK. A tag split across a very
 * long line can leave a part unbalanced; the sender falls back to plain text for it.
 */
export function splitMessage(text: string, limit = TELEGRAM_TEXT_LIMIT, maxParts = 4): string[] {
  if (text.length <= limit) return [text];
  const parts = packLines(text, limit);
  if (parts.length <= maxParts) return parts;
  const kept = parts.slice(0, maxParts);
  const last = kept[maxParts - 1]!;
  kept[maxParts - 1] = `${last.slice(0, safeCut(last, limit - TRUNCATION_MARK.length))}${TRUNCATION_MARK}`;
  return kept;
}

/** Telegram HTML → the text a reader sees: tags removed, the four entities we emit decoded. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

// The HTML document shell: htmx config (no swapping of error responses), pinned local scripts, no inline script.
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { I18n } from '../i18n.ts';

/** How long a request (a poll or a button) waits for its answer; a button still waiting then says so (dashboard.js). */
export const REQUEST_TIMEOUT_MS = 15_000;
/** htmx 4 swaps 4xx/5xx bodies by default; a failed poll must leave the last good region in place. */
export const HTMX_CONFIG = JSON.stringify({ noSwap: [204, 304, '4xx', '5xx'], defaultTimeout: REQUEST_TIMEOUT_MS });

export const ASSETS = {
  css: '/static/app.css',
  htmx: '/static/vendor/htmx.min.js',
  charts: '/static/vendor/lightweight-charts.standalone.production.js',
  dashboard: '/static/dashboard.js',
} as const;

export function Layout(props: { i18n: I18n; title: string; withScripts?: boolean; children?: Child }) {
  return (
    <html lang={props.i18n.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={ASSETS.css} />
        {props.withScripts ? (
          <>
            <script src={ASSETS.htmx} defer></script>
            <script src={ASSETS.charts} defer></script>
            <script src={ASSETS.dashboard} defer></script>
          </>
        ) : null}
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** Renders a full document; hono/jsx does not emit the doctype itself. */
export async function renderDocument(el: unknown): Promise<string> {
  return `<!DOCTYPE html>${String(await el)}`;
}

/** Renders a fragment (a partial, with any out-of-band siblings). */
export async function renderFragment(...els: unknown[]): Promise<string> {
  const parts = await Promise.all(els.map(async (e) => String(await e)));
  return parts.join('');
}

// Page routes: the dashboard, its polled partials (a fragment for htmx, the full page otherwise) and the login page.
/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { LoginPage } from './components/login-page.tsx';
import { renderDocument, renderFragment } from './components/layout.tsx';
import type { I18n } from './i18n.ts';
import { viewKey, type RenderCache } from './render-cache.ts';
import { parseViewParams, type ViewParams } from './view-params.ts';
import { createViews, isPartialName, type ViewDeps } from './views.tsx';

/** htmx 4 sends `HX-Request: true` on every request it makes. */
export const isHtmx = (c: Context) => c.req.header('hx-request') === 'true';

/** Dashboard responses hold balances and positions: never cached, and a URL answers differently to htmx. */
export function noStore(c: Context) {
  c.header('Cache-Control', 'no-store');
  c.header('Vary', 'HX-Request');
}

export async function renderLogin(c: Context, i18n: I18n, error?: 'wrong' | 'locked', status: 200 | 401 | 429 = 200) {
  return c.html(await renderDocument(<LoginPage i18n={i18n} {...(error ? { error } : {})} />), status);
}

/** Pages and partials are rendered once per window through `cache`, keyed by what they depend on. */
export function createPages(deps: ViewDeps & { cache: RenderCache }) {
  const app = new Hono();
  const views = createViews(deps);
  const scope = `${deps.i18n.locale}|${deps.isAuthRequired ? 'auth' : 'open'}`;
  const fullPage = async (c: Context, p: ViewParams) => {
    noStore(c);
    return c.html(await deps.cache.get(`page|${scope}|${viewKey(p)}`, async () => renderDocument(await views.page(p))));
  };

  app.get('/', (c) => fullPage(c, parseViewParams(c.req.query())));
  app.get('/partials/:name', async (c) => {
    const name = c.req.param('name');
    if (!isPartialName(name)) return c.notFound();
    const p = parseViewParams(c.req.query());
    if (!isHtmx(c)) return fullPage(c, p);
    noStore(c);
    return c.html(await deps.cache.get(`hx|${name}|${scope}|${viewKey(p)}`, async () => renderFragment(await views.partials[name](p))));
  });
  return app;
}

// The shell: header, navigation, language switch and a hash router (#/path?query). Each view renders into <main>
// and may return a cleanup function (closing event streams and timers) that runs before the next view.
import { session, get, del } from './api.js';
import { t, lang, setLang, languages, errorMessage } from './i18n.js';
import { h, replace, toast } from './ui.js';
import * as auth from './view-auth.js';
import * as shop from './view-shop.js';
import * as account from './view-account.js';
import * as live from './view-live.js';
import * as host from './view-host.js';
import * as games from './view-games.js';
import * as delivery from './view-delivery.js';
import * as inbox from './view-inbox.js';
import * as me from './view-me.js';
import * as support from './view-support.js';
import * as agent from './view-agent.js';
import * as surveys from './view-surveys.js';
import * as admin from './view-admin.js';
import * as experiments from './view-experiments.js';
import * as accessibility from './view-accessibility.js';
import * as social from './view-social.js';
import * as teams from './view-teams.js';
import * as auction from './view-auction.js';
import { syncAccountStream } from './events.js';
import { bell } from './icons.js';

/** Routes: pattern, view, whether it needs a signed-in account. */
const routes = [
  [/^\/$/, shop.catalog, false],
  [/^\/product\/([^/]+)$/, shop.product, false],
  [/^\/cart$/, shop.cart, true],
  [/^\/login$/, auth.login, false],
  [/^\/signup$/, auth.signup, false],
  [/^\/wallet$/, account.wallet, true],
  [/^\/orders$/, account.orders, true],
  [/^\/orders\/([^/]+)$/, account.order, true],
  [/^\/coupons$/, account.coupons, true],
  [/^\/live$/, live.list, false],
  [/^\/live\/([^/]+)$/, live.show, false],
  [/^\/host$/, host.list, true],
  [/^\/host\/([^/]+)$/, host.control, true],
  [/^\/games$/, games.list, true],
  [/^\/games\/([^/]+)$/, games.game, true],
  [/^\/account$/, me.account, true],
  [/^\/privacy$/, me.privacy, true],
  [/^\/erased$/, me.erased, false],
  [/^\/inbox$/, inbox.inbox, true],
  [/^\/merchant$/, delivery.merchantOrders, true],
  [/^\/merchant\/orders\/([^/]+)$/, delivery.merchantOrder, true],
  [/^\/conversations$/, support.conversations, true],
  [/^\/conversations\/([^/]+)$/, support.conversation, true],
  [/^\/service$/, agent.console_, true],
  [/^\/surveys$/, surveys.pending, true],
  [/^\/admin\/signals$/, admin.signals, true],
  [/^\/admin\/feedback$/, admin.feedback, true],
  [/^\/admin\/experiments$/, experiments.list, true],
  [/^\/admin\/experiments\/([^/]+)$/, experiments.experiment, true],
  [/^\/accessibility$/, accessibility.statement, false],
  [/^\/hosts\/([^/]+)$/, social.host, false],
  [/^\/communities$/, social.communities, false],
  [/^\/communities\/([^/]+)$/, social.community, false],
  [/^\/red-packets\/([^/]+)$/, social.packet, true],
  [/^\/teams\/([^/]+)$/, teams.team, true],
  [/^\/s\/([^/]+)$/, teams.landing, false],
  [/^\/referrals$/, teams.referrals, true],
  [/^\/replay\/([^/]+)$/, auction.replay, false],
];

const nav = [
  ['#/', 'nav.shop', /^\/(product.*)?$/],
  ['#/live', 'nav.live', /^\/(live|replay)/],
  ['#/communities', 'nav.social', /^\/(communities|hosts|red-packets|referrals|teams|s)(\/|$)/],
  ['#/games', 'nav.games', /^\/games/],
  ['#/coupons', 'nav.coupons', /^\/coupons/],
  ['#/cart', 'nav.cart', /^\/cart/],
  ['#/wallet', 'nav.wallet', /^\/wallet/],
  ['#/orders', 'nav.orders', /^\/orders/],
  ['#/inbox', 'nav.inbox', /^\/inbox/],
  ['#/account', 'nav.account', /^\/(account|privacy)$/],
];

let cleanup = null;
let renderCount = 0;

function location_() {
  let raw = window.location.hash.replace(/^#/, '') || '/';
  try { raw = decodeURI(raw); } catch { /* keep it as typed */ }
  const [path, queryString] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(queryString || '') };
}

export function go(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function renderHeader() {
  const { path } = location_();
  const accountBox = session.signedIn
    ? h('div', { class: 'account' },
      inbox.inboxAvailable() ? h('a', { href: '#/inbox', class: 'bell', 'data-inbox-link': '', 'aria-label': inbox.inboxLabel() }, bell(), inbox.unreadBadge()) : null,
      h('a', { href: '#/account', class: 'who', 'data-testid': 'who' }, session.account?.display_name || ''),
      h('button', { type: 'button', class: 'link-button', onclick: logout, 'data-testid': 'logout' }, t('nav.logout')))
    : h('div', { class: 'account' },
      h('a', { href: '#/login' }, t('nav.login')), h('a', { href: '#/signup', class: 'button small' }, t('nav.signup')));
  const select = h('select', { id: 'lang', 'aria-label': t('nav.language'), onchange: (e) => { setLang(e.target.value); route(); } },
    languages.map((code) => h('option', { value: code, selected: code === lang() }, code.toUpperCase())));
  replace(document.getElementById('top'),
    h('a', { href: '#/', class: 'brand' }, h('img', { src: '/web/icon.svg', alt: '', width: 28, height: 28 }), h('span', { class: 'brand-word' }, 'Basar')),
    accountBox, select);
  const links = nav.filter(([href]) => href !== '#/inbox' || inbox.inboxAvailable()).map(([href, key, pattern]) => (href === '#/inbox'
    ? h('a', { href, 'aria-current': pattern.test(path) ? 'page' : null, 'data-inbox-link': '', 'aria-label': inbox.inboxLabel() }, t(key), inbox.unreadBadge())
    : h('a', { href, 'aria-current': pattern.test(path) ? 'page' : null }, t(key))));
  if (session.has('host')) links.push(h('a', { href: '#/host', 'aria-current': /^\/host/.test(path) ? 'page' : null }, t('nav.host')));
  if (session.has('merchant')) links.push(h('a', { href: '#/merchant', 'aria-current': /^\/merchant/.test(path) ? 'page' : null }, t('nav.merchant')));
  if (session.has('agent')) links.push(h('a', { href: '#/service', 'aria-current': /^\/service/.test(path) ? 'page' : null }, t('nav.service')));
  if (session.has('admin')) links.push(h('a', { href: '#/admin/signals', 'aria-current': /^\/admin/.test(path) ? 'page' : null }, t('nav.admin')));
  const navEl = document.getElementById('nav');
  replace(navEl, ...links);
  navEl.setAttribute('aria-label', t('nav.label'));
  // On a phone the menu is one row that scrolls sideways: keep the current page's link in sight.
  const currentLink = navEl.querySelector('[aria-current=page]');
  if (currentLink && navEl.scrollWidth > navEl.clientWidth) {
    navEl.scrollLeft = Math.max(0, currentLink.offsetLeft - (navEl.clientWidth - currentLink.offsetWidth) / 2);
  }
  document.querySelector('.skip').textContent = t('nav.skip');
  accessibility.renderFooter();
}

async function logout() {
  try { await del('/v1/sessions/current'); } catch { /* the token is dropped locally either way */ }
  session.clear();
  toast(t('auth.logged_out'));
  go('#/');
}

async function route() {
  const count = ++renderCount;
  if (cleanup) { try { cleanup(); } catch { /* a view's cleanup must not block navigation */ } }
  cleanup = null;
  const { path, query } = location_();
  renderHeader();
  inbox.refreshBadge();
  const main = document.getElementById('main');
  const match = routes.map(([re, view, needsAuth]) => [re.exec(path), view, needsAuth]).find(([m]) => m);
  if (!match) {
    replace(main, h('h1', { tabindex: '-1', class: 'view-title' }, t('error.page_not_found')), h('p', {}, h('a', { href: '#/' }, t('nav.shop'))));
    main.querySelector('h1').focus({ preventScroll: true }); // a page that does not exist is a route change too
    document.title = `${t('error.page_not_found')} · Basar`;
    return;
  }
  const [m, view, needsAuth] = match;
  if (needsAuth && !session.signedIn) {
    go(`#/login?next=${encodeURIComponent(path)}`);
    return;
  }
  replace(main, h('p', { class: 'loading' }, t('common.loading')));
  try {
    const result = await view(main, { params: m.slice(1).map(decodeURIComponent), query, go });
    if (count !== renderCount) { if (typeof result === 'function') result(); return; }
    cleanup = typeof result === 'function' ? result : null;
  } catch (error) {
    if (count !== renderCount) return;
    replace(main, h('h1', { tabindex: '-1', class: 'view-title' }, t('error.title')),
      h('div', { class: 'notice notice-error', role: 'alert' }, errorMessage(error)));
  }
  const heading = main.querySelector('h1');
  if (heading && document.activeElement?.closest('#main') == null) heading.focus({ preventScroll: true });
  document.title = `${heading ? heading.textContent + ' · ' : ''}Basar`;
}

async function refreshAccount() {
  if (!session.signedIn) return;
  try {
    session.set(null, await get('/v1/me'));
  } catch { /* a dead token was cleared by api() */ }
}

function start() {
  document.documentElement.lang = lang();
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('basar:inbox-unavailable', renderHeader);
  window.addEventListener('basar:session', () => {
    syncAccountStream();
    renderHeader();
    inbox.refreshBadge();
    // A token that stopped working (logged out elsewhere, expired) sends a signed-in view to the login.
    const { path } = location_();
    const entry = routes.find(([re]) => re.test(path));
    if (!session.signedIn && entry && entry[2]) go(`#/login?next=${encodeURIComponent(path)}`);
  });
  syncAccountStream();
  route();
  refreshAccount();
  inbox.startBadge();
}

start();

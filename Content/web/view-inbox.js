// The inbox (API.md §16): every message Basar sends, with why it was sent, and the unread count in the menu.
// The API writes titles and bodies in the language the request asks for (Accept-Language, set by api.js).
// New items arrive over the account's event stream (events.js); polling stays as the fallback.
import { get, post, seg, session, unavailable } from './api.js';
import { t } from './i18n.js';
import { h, append, replace, notice, showError, busy, title, dateTime, pagedList } from './ui.js';
import { onAccountEvent, accountStreamState } from './events.js';
import { surveyCard, pendingIDs } from './view-surveys.js';

const POLL_MS = 30000;
/** While the event stream is open the badge still reads the count now and then, in case an event was missed. */
const POLL_LIVE_MS = 300000;
/** Categories that are always sent (API.md §16): they need no consent and no setting. */
const TRANSACTIONAL = ['order', 'shipment', 'support', 'security'];
/** Rules with their own explanation; any other rule is named as it is. */
export const RULES = ['order_placed', 'shipment_sent', 'shipment_delivered', 'delivery_delay', 'abandoned_cart', 'login_help', 'host_live',
  'conversation_opened', 'conversation_reply', 'sla_escalation', 'nps_delivery', 'csat_support', 'ces_refund'];

const badge = { count: 0, available: true, timer: null, asked: 0, readAt: 0 };

/** Whether the menu shows the inbox (false once the server said it has none). */
export function inboxAvailable() {
  return badge.available;
}

/** The unread badge for the menu; `refreshBadge` keeps every copy of it up to date. */
export function unreadBadge() {
  return h('span', { class: 'unread', 'data-testid': 'unread-badge', hidden: badge.count === 0, 'aria-hidden': 'true' }, String(badge.count));
}

/** The menu link's accessible name: "Inbox, 2 unread". */
export function inboxLabel() {
  return badge.count ? t('inbox.nav_unread', { n: badge.count }) : t('nav.inbox');
}

function paint() {
  for (const el of document.querySelectorAll('.unread')) {
    el.textContent = badge.count > 99 ? '99+' : String(badge.count);
    el.hidden = badge.count === 0;
  }
  for (const link of document.querySelectorAll('[data-inbox-link]')) link.setAttribute('aria-label', inboxLabel());
}

/** Reads the unread count; quiet about every failure (the badge is a hint, never an error). */
export async function refreshBadge() {
  if (!session.signedIn || !badge.available) { badge.count = 0; paint(); return; }
  const ask = ++badge.asked;
  badge.readAt = Date.now();
  try {
    const { unread } = await get('/v1/inbox/unread-count');
    if (ask !== badge.asked) return;
    badge.count = Number(unread) || 0;
  } catch (error) {
    if (unavailable(error)) {
      badge.available = false;
      badge.count = 0;
      window.dispatchEvent(new CustomEvent('basar:inbox-unavailable'));
    }
  }
  paint();
}

/**
 * Keeps the badge up to date: at once on every new item and on every (re)connection of the account stream, and by
 * polling while the tab is visible (every 30 s without the stream, every 5 minutes with it).
 */
export function startBadge() {
  if (badge.timer) return;
  badge.timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    if (accountStreamState() === 'live' && Date.now() - badge.readAt < POLL_LIVE_MS) return;
    refreshBadge();
  }, POLL_MS);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') refreshBadge(); });
  onAccountEvent('inbox.created', () => refreshBadge());
  onAccountEvent('open', () => refreshBadge());
}

/**
 * Where an item's `link` (an API path) leads in this page: an order to its page, a live show to the show, a product
 * to the product page; null for anything else.
 */
export function pageFor(link) {
  const routes = [
    [/^\/v1\/orders\/([^/?#]+)$/, (id) => `#/orders/${seg(id)}`, 'inbox.open_order'],
    [/^\/v1\/live-sessions\/([^/?#]+)$/, (id) => `#/live/${seg(id)}`, 'inbox.open_live'],
    [/^\/v1\/products\/([^/?#]+)$/, (id) => `#/product/${seg(id)}`, 'inbox.open_product'],
    [/^\/v1\/coupons$/, () => '#/coupons', 'inbox.open_coupons'],
    [/^\/v1\/cart$/, () => '#/cart', 'inbox.open_cart'],
    [/^\/v1\/conversations\/([^/?#]+)$/, (id) => `#/conversations/${seg(id)}`, 'inbox.open_conversation'],
    [/^\/v1\/surveys\/pending$/, () => '#/surveys', 'inbox.open_surveys'],
  ];
  for (const [re, to, label] of routes) {
    const m = re.exec(link || '');
    if (m) return { href: to(m[1]), label: t(label) };
  }
  return null;
}

/** "Why am I seeing this?": the rule that sent the item and what allowed it (a consent, a setting, or nothing). */
function why(item, consents) {
  const rule = item.reason?.rule || '';
  const consentID = item.reason?.consent_id || null;
  const ruleText = RULES.includes(rule) ? t(`inbox.rule.${rule}`) : t('inbox.rule.other', { rule });
  let basis;
  if (consentID) {
    const record = consents.get(consentID);
    basis = record
      ? t('inbox.basis.consent_of', { purpose: t(`privacy.purpose.${record.purpose}`), date: dateTime(record.created_at), id: consentID })
      : t('inbox.basis.consent', { id: consentID });
  } else if (TRANSACTIONAL.includes(item.category)) {
    basis = t('inbox.basis.transactional');
  } else if (['live', 'social', 'feedback'].includes(item.category)) {
    basis = t('inbox.basis.setting', { setting: t(`settings.${item.category}`) });
  } else {
    basis = t('inbox.basis.none');
  }
  return h('details', { class: 'why', 'data-testid': 'why' }, h('summary', {}, t('inbox.why')),
    h('p', {}, ruleText, ' ', basis),
    h('p', { class: 'hint' }, t('inbox.rule_name'), ' ', h('code', {}, rule || '–'), ' · ',
      h('a', { href: '#/privacy' }, t('inbox.change_choices'))));
}

export async function inbox(main, { query, go }) {
  const unreadOnly = query.get('unread') === 'true';
  const box = notice();
  const readAll = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'read-all' }, t('inbox.read_all'));
  // Which consent record each item relied on, for "why": read once, and the inbox works without it.
  const consents = new Map();
  try {
    for (const record of (await get('/v1/me/consents')).history || []) consents.set(record.id, record);
  } catch { /* the explanation then names the record's id only */ }

  // Survey invitations (API.md §19) are answered right here; which are still open is read once (null: unknown, then
  // every card is offered and the server says when one is closed).
  const pending = await pendingIDs();
  const cards = new Map();

  async function markRead(item, li) {
    if (item.read) return;
    const updated = await post(`/v1/inbox/${seg(item.id)}/read`);
    Object.assign(item, updated || { read: true });
    // A survey card moves into the new row: moving takes the focus away, so it is given back (a keyboard user's place).
    const focused = li.contains(document.activeElement) ? document.activeElement : null;
    li.replaceWith(render(item));
    if (focused?.isConnected) focused.focus({ preventScroll: true });
    refreshBadge();
  }

  /** The item's survey card, kept across re-renders so an answer's thanks stays on screen. */
  function survey(item, li) {
    const id = item.data?.invitation_id;
    if (item.category !== 'feedback' || typeof id !== 'string') return null;
    if (!cards.has(id)) {
      cards.set(id, surveyCard({ id, question: item.body, scale: item.data.scale, survey: item.data.survey }, {
        open: pending === null || pending.has(id),
        onAnswered: () => { pending?.delete(id); markRead(item, li).catch(() => {}); },
      }));
    }
    return cards.get(id);
  }

  function render(item) {
    const li = h('li', { class: `inbox-item${item.read ? '' : ' unread-item'}`, 'data-item-id': item.id, 'data-read': String(Boolean(item.read)) });
    const card = survey(item, li);
    const target = card ? null : pageFor(item.link);
    const open = target ? h('a', { href: target.href, class: 'button small', 'data-testid': 'item-link' }, target.label) : null;
    // Following the link reads the item; the page changes at once, the read is sent on the side.
    open?.addEventListener('click', () => { markRead(item, li).catch(() => {}); });
    let mark = null;
    if (!item.read) {
      mark = h('button', { type: 'button', class: 'link-button', 'data-testid': 'mark-read' }, t('inbox.mark_read'));
      mark.addEventListener('click', () => busy(mark, async () => {
        try { await markRead(item, li); } catch (error) { showError(box, error); }
      }));
    }
    // A signal's item may carry a coupon (API.md §17, §24): it is in "My coupons" already.
    const coupon = typeof item.data?.coupon_id === 'string'
      ? h('a', { href: '#/coupons', class: 'button small secondary', 'data-testid': 'item-coupon' }, t('inbox.coupon')) : null;
    coupon?.addEventListener('click', () => { markRead(item, li).catch(() => {}); });
    return append(li, [
      h('div', { class: 'row inbox-meta' }, h('span', { class: `badge category-${item.category}` }, t(`inbox.category.${item.category}`)),
        item.read ? null : h('span', { class: 'new-dot' }, t('inbox.new')),
        h('small', { class: 'muted' }, dateTime(item.created_at))),
      h('h2', { class: 'inbox-title' }, item.title),
      card || h('p', { class: 'inbox-body' }, item.body),
      h('div', { class: 'row' }, open, coupon, mark),
      why(item, consents)]);
  }

  const list = pagedList('/v1/inbox', unreadOnly ? { unread: 'true' } : {}, render,
    t(unreadOnly ? 'inbox.none_unread' : 'inbox.none'), 'inbox', 'inbox-list');
  readAll.addEventListener('click', () => busy(readAll, async () => {
    try {
      await post('/v1/inbox/read-all');
      await list.load(true);
      refreshBadge();
    } catch (error) { showError(box, error); }
  }));
  const filter = h('div', { class: 'chips', role: 'group', 'aria-label': t('inbox.filter') },
    [['', 'inbox.all'], ['true', 'inbox.unread']].map(([value, key]) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String((value === 'true') === unreadOnly), 'data-testid': `filter-${value || 'all'}`,
      onclick: () => go(value ? '#/inbox?unread=true' : '#/inbox'),
    }, t(key))));
  replace(main, title(t('inbox.title')), h('div', { class: 'row inbox-tools' }, filter, readAll), box, list.element);
  try {
    await list.load(true);
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, title(t('inbox.title')), h('p', { class: 'muted' }, t('common.unavailable')));
    return undefined;
  }
  refreshBadge();
  // Live: new items go on top at once; after a reconnection (which cannot resume) the first page is read again. The
  // event's item is written in English, so the newest items are read in the page's language instead.
  let reading = null;
  async function readNewest() {
    const page = await get('/v1/inbox', { ...(unreadOnly ? { unread: 'true' } : {}), limit: 10 });
    const fresh = page.data.filter((item) => !list.list.querySelector(`[data-item-id="${CSS.escape(item.id)}"]`));
    if (!fresh.length) return;
    list.list.querySelector('.empty')?.remove();
    for (const item of fresh.reverse()) {
      if (typeof item.data?.invitation_id === 'string') pending?.add(item.data.invitation_id);
      list.list.prepend(render(item));
    }
  }
  const stops = [
    onAccountEvent('inbox.created', () => {
      reading = (reading || Promise.resolve()).then(readNewest).catch(() => {});
    }),
    onAccountEvent('open', () => { list.load(true).catch(() => {}); }),
  ];
  return () => stops.forEach((stop) => stop());
}

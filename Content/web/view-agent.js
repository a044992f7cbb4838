// The agent console (API.md §18): queues of conversations with their SLA countdowns, and beside a conversation the
// agent's tools — assign, the order and the customer's wallet at a glance (agents read and refund any order), and a
// goodwill coupon within the day's limit. For accounts with the agent role; admins see it too.
import { get, post, seg, session, intent, unavailable } from './api.js';
import { t } from './i18n.js';
import { h, replace, money, notice, showError, showOk, clearInvalid, busy, title, dateTime, field, parseCents, catalogText } from './ui.js';
import { onAccountEvent } from './events.js';
import { statusBadge as orderStatus, fulfillmentBadge } from './view-delivery.js';
import { slaTicker, statusBadge, kindBadge, escalatedBadge } from './support.js';

const GOODWILL_MIN = 100;
const GOODWILL_MAX = 5000;
const GOODWILL_PER_DAY = 10000;
/** The limits for the goodwill texts, in the page's money format. */
const limits = () => ({ min: money(GOODWILL_MIN), max: money(GOODWILL_MAX), day: money(GOODWILL_PER_DAY) });
const REFRESH_MS = 60000;

/** Whether the signed-in account holds the agent role itself (admins answer, but only agents take assignments). */
function isAgent() {
  return (session.account?.roles || []).includes('agent');
}

/** The goodwill errors in plain words (API.md §18, §24). */
function goodwillError(error) {
  if (error.code === 'limit_reached') {
    const left = /(\d+) are left/.exec(error.detail || '')?.[1];
    return { code: 'goodwill', detail: left === undefined ? t('agent.goodwill.limit', limits()) : t('agent.goodwill.limit_left', { ...limits(), amount: money(Number(left)) }) };
  }
  if (error.code === 'invalid_state') return { code: 'goodwill', detail: t('agent.goodwill.off') };
  if (error.code === 'sold_out') return { code: 'goodwill', detail: t('agent.goodwill.sold_out') };
  return unavailable(error) ? { code: 'not_implemented' } : error;
}

/**
 * The tools beside a conversation. `current()` is the conversation as the page has it; `onChange` takes the
 * conversation after an assignment, `onMessages` reads the dialogue again (goodwill posts a note in it).
 */
export function agentPanel(current, { onChange, onMessages }) {
  const me = session.account || {};
  const agents = new Map();
  const assignCard = h('section', { class: 'card', 'aria-labelledby': 'assign-title', 'data-testid': 'assign' });
  const orderCard = h('section', { class: 'card glance', 'aria-labelledby': 'glance-title', hidden: true, 'data-testid': 'order-glance' });
  const walletCard = h('section', { class: 'card glance', 'aria-labelledby': 'wallet-glance-title', hidden: true, 'data-testid': 'wallet-glance' });
  const assignBox = notice();

  async function assign(accountID, button) {
    await busy(button, async () => {
      try {
        onChange(await post(`/v1/conversations/${seg(current().id)}/assign`, { account_id: accountID }));
        showOk(assignBox, t('agent.assigned', { name: agents.get(accountID) || accountID }));
      } catch (error) { showError(assignBox, error); }
    });
  }

  function render() {
    const c = current();
    const toMe = isAgent() && c.assignee?.account_id !== me.id
      ? h('button', { type: 'button', class: 'small', 'data-testid': 'assign-me' }, t('agent.assign_me')) : null;
    toMe?.addEventListener('click', () => assign(me.id, toMe));
    const others = [...agents].filter(([id]) => id !== c.assignee?.account_id && id !== me.id);
    let other = null;
    if (others.length) {
      const select = h('select', { name: 'account_id', 'data-testid': 'assign-select' }, others.map(([id, name]) => h('option', { value: id }, name)));
      const go = h('button', { type: 'button', class: 'small secondary', 'data-testid': 'assign-other' }, t('agent.assign'));
      go.addEventListener('click', () => assign(select.value, go));
      other = h('div', { class: 'row assign-row' }, field(t('agent.assign_to'), select), go);
    }
    replace(assignCard, h('h2', { id: 'assign-title' }, t('agent.assignee')),
      h('p', { 'data-testid': 'assignee' }, c.assignee ? c.assignee.display_name : t('agent.nobody')), toMe, other, assignBox);
  }

  function renderOrder(o) {
    replace(orderCard, h('h2', { id: 'glance-title' }, t('agent.order')),
      h('p', { class: 'row' }, orderStatus(o.status), fulfillmentBadge(o), h('small', { class: 'muted' }, dateTime(o.created_at))),
      h('ul', { class: 'glance-items' }, o.items.map((i) => h('li', catalogText, `${i.quantity}× ${i.title}`,
        i.refunded_quantity ? h('small', { class: 'muted' }, ` · ${t('agent.refunded_units', { n: i.refunded_quantity })}`) : null))),
      h('dl', { class: 'facts' }, h('dt', {}, t('order.total')), h('dd', { 'data-testid': 'glance-total' }, money(o.total_cents, o.currency)),
        o.refunded_cents ? [h('dt', {}, t('order.refunded')), h('dd', {}, money(o.refunded_cents, o.currency))] : null),
      h('a', { href: `#/orders/${seg(o.id)}`, class: 'button small secondary', 'data-testid': 'open-order' }, t('agent.open_order')));
    orderCard.hidden = false;
  }

  function renderWallet(w) {
    replace(walletCard, h('h2', { id: 'wallet-glance-title' }, t('agent.wallet')),
      h('dl', { class: 'facts' }, h('dt', {}, t('wallet.balance')), h('dd', { 'data-testid': 'wallet-balance' }, money(w.balance_cents, w.currency))),
      w.recent_transactions.length
        ? h('ul', { class: 'glance-items', 'aria-label': t('agent.wallet_recent') }, w.recent_transactions.map((tx) => h('li', {},
          `${t(`tx.${tx.kind}`)} `, h('strong', { class: tx.amount_cents < 0 ? 'minus' : 'plus' }, money(tx.amount_cents, tx.currency)),
          h('small', { class: 'muted' }, ` · ${dateTime(tx.created_at)}`))))
        : h('p', { class: 'muted' }, t('wallet.no_transactions')));
    walletCard.hidden = false;
  }

  // Goodwill: a fixed-amount coupon for the customer, 1 to 50 €, at most 100 € per agent and day.
  const amount = h('input', { name: 'amount_cents', inputmode: 'decimal', autocomplete: 'off', class: 'short', 'data-testid': 'goodwill-amount' });
  const give = h('button', { type: 'submit', 'data-testid': 'goodwill-submit' }, t('agent.goodwill.give'));
  const goodwillBox = notice();
  const grant = intent();
  const quick = [500, 1000, 2000].map((cents) => h('button', {
    type: 'button', class: 'chip', onclick: () => { amount.value = (cents / 100).toFixed(2); amount.focus(); },
  }, money(cents)));
  const goodwill = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'goodwill-title', 'data-testid': 'goodwill-form' },
    h('h2', { id: 'goodwill-title' }, t('agent.goodwill.title')), h('p', { class: 'hint' }, t('agent.goodwill.intro')),
    h('div', { class: 'chips' }, quick), field(t('field.amount'), amount, t('agent.goodwill.hint', limits())), goodwillBox, give);
  goodwill.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(give, async () => {
      const cents = parseCents(amount.value);
      if (cents === null || cents < GOODWILL_MIN || cents > GOODWILL_MAX) {
        showError(goodwillBox, { code: 'invalid_request', errors: [{ field: 'amount_cents', message: t('agent.goodwill.hint', limits()) }] }, goodwill);
        amount.focus();
        return;
      }
      try {
        const coupon = await post(`/v1/conversations/${seg(current().id)}/goodwill`, { amount_cents: cents }, { key: grant.key });
        grant.settle();
        amount.value = '';
        clearInvalid(goodwill);
        showOk(goodwillBox, t('agent.goodwill.done', { amount: money(coupon.discount?.value ?? cents, coupon.currency), name: current().customer?.display_name || '' }));
        await onMessages();
      } catch (error) {
        grant.settle(error);
        showError(goodwillBox, goodwillError(error), goodwill);
      }
    });
  });

  async function load() {
    // Agents we know of: everyone who has been assigned a conversation (there is no list of agents in the API).
    try {
      for (const c of (await get('/v1/conversations', { limit: 100 })).data) if (c.assignee) agents.set(c.assignee.account_id, c.assignee.display_name);
    } catch { /* assigning to oneself still works */ }
    if (isAgent()) agents.set(me.id, me.display_name);
    render();
    const orderID = current().order_id;
    if (orderID) {
      try { renderOrder(await get(`/v1/orders/${seg(orderID)}`)); } catch { orderCard.hidden = true; }
    }
    try { renderWallet(await get(`/v1/conversations/${seg(current().id)}/wallet`)); } catch { walletCard.hidden = true; }
  }

  const element = h('aside', { class: 'agent-panel', 'aria-label': t('agent.tools'), 'data-testid': 'agent-panel' }, assignCard, orderCard, walletCard, goodwill);
  return { element, render, load };
}

// MARK: - the console

const VIEWS = {
  mine: { status: 'open', assignee: 'me' },
  unassigned: { status: 'open', assignee: 'none' },
  open: { status: 'open' },
  resolved: { status: 'resolved' },
};

/** Waiting longest for a first answer first (soonest due), then the rest by their last change. */
function queueOrder(a, b) {
  const waitingA = a.status === 'open' && !a.first_response_at;
  const waitingB = b.status === 'open' && !b.first_response_at;
  if (waitingA !== waitingB) return waitingA ? -1 : 1;
  if (waitingA) return Date.parse(a.first_response_due_at) - Date.parse(b.first_response_due_at);
  return Date.parse(b.updated_at) - Date.parse(a.updated_at);
}

/** `#/service`: the queues. */
export async function console_(main, { query, go }) {
  if (!session.has('agent')) {
    replace(main, title(t('agent.title')), h('div', { class: 'notice notice-error', role: 'alert' }, t('agent.need_role')));
    return undefined;
  }
  const view = VIEWS[query.get('view')] ? query.get('view') : (isAgent() ? 'mine' : 'unassigned');
  const ticker = slaTicker();
  const list = h('ul', { class: 'queue', 'data-testid': 'queue' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.more'));
  const box = notice();
  const counts = {};
  let cursor = null;
  let shown = [];

  function row(c) {
    const take = isAgent() && !c.assignee && c.status === 'open'
      ? h('button', { type: 'button', class: 'small', 'data-testid': 'take' }, t('agent.assign_me')) : null;
    take?.addEventListener('click', () => busy(take, async () => {
      try { await post(`/v1/conversations/${seg(c.id)}/assign`, { account_id: session.account.id }); await load(true); } catch (error) { showError(box, error); }
    }));
    return h('li', { class: `queue-item${c.escalated ? ' is-escalated' : ''}`, 'data-conversation-id': c.id },
      h('p', { class: 'row' }, h('a', { href: `#/conversations/${seg(c.id)}`, class: 'queue-subject' }, c.subject), escalatedBadge(c), kindBadge(c), statusBadge(c)),
      h('p', { class: 'row queue-meta' }, h('span', {}, c.customer?.display_name || t('support.deleted')),
        h('span', { class: 'muted' }, c.assignee ? t('support.assigned_to', { name: c.assignee.display_name }) : t('agent.nobody')),
        c.order_id ? h('a', { href: `#/orders/${seg(c.order_id)}` }, t('support.about_order')) : null,
        ticker.badge(c), h('small', { class: 'muted' }, dateTime(c.updated_at))),
      take);
  }

  async function load(reset) {
    if (reset) { cursor = null; shown = []; }
    const page = await get('/v1/conversations', { ...VIEWS[view], limit: 50, cursor });
    shown = shown.concat(page.data);
    cursor = page.next_cursor;
    shown.sort(queueOrder);
    replace(list, shown.length ? shown.map(row) : h('li', { class: 'empty' }, t(`agent.empty.${view}`)));
    more.hidden = !cursor;
  }

  async function loadCounts() {
    for (const name of ['mine', 'unassigned']) {
      try {
        const page = await get('/v1/conversations', { ...VIEWS[name], limit: 100 });
        counts[name] = page.next_cursor ? '100+' : String(page.data.length);
      } catch { counts[name] = null; }
      const el = main.querySelector(`[data-view="${name}"] .count`);
      if (el) el.textContent = counts[name] === null ? '' : ` ${counts[name]}`;
    }
  }

  more.addEventListener('click', () => busy(more, () => load(false)));
  const tabs = h('div', { class: 'chips', role: 'group', 'aria-label': t('agent.queues') }, Object.keys(VIEWS).map((name) => h('button', {
    type: 'button', class: 'chip', 'aria-pressed': String(name === view), 'data-view': name, 'data-testid': `view-${name}`,
    onclick: () => go(`#/service?view=${name}`),
  }, t(`agent.view.${name}`), ['mine', 'unassigned'].includes(name) ? h('span', { class: 'count' }) : null)));
  replace(main, title(t('agent.title')), h('p', { class: 'hint' }, t('agent.intro')), tabs, box, list, more);
  try {
    await load(true);
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, title(t('agent.title')), h('p', { class: 'muted' }, t('common.unavailable')));
    ticker.stop();
    return undefined;
  }
  loadCounts();

  // Live: a customer's message or a new case (a support inbox item) reads the queue again, as does a reconnection;
  // other agents' cases change without telling this account, so the queue is also read every minute.
  let pending = null;
  const refresh = () => {
    clearTimeout(pending);
    pending = setTimeout(() => { load(true).then(loadCounts).catch(() => {}); }, 300);
  };
  const stops = [
    onAccountEvent('conversation.message', refresh),
    onAccountEvent('inbox.created', (item) => { if (item?.category === 'support') refresh(); }),
    onAccountEvent('open', refresh),
  ];
  const timer = setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, REFRESH_MS);
  return () => {
    stops.forEach((stop) => stop());
    clearInterval(timer);
    clearTimeout(pending);
    ticker.stop();
  };
}

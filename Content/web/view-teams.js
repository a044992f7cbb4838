// Social commerce II (API.md §20): team deals on the product page ("buy alone or with a team"), the team page with
// its share link and countdown, the landing page of a share code, and "my referrals". The money of a team is held
// in escrow until the team fills (one paid order each) or its window ends (every hold released).
import { get, post, patch, seg, session, intent, unavailable } from './api.js';
import { t, errorMessage } from './i18n.js';
import { h, replace, money, notice, showError, showOk, busy, title, toast, dateTime, field, parseCents, productImage, catalogText } from './ui.js';
import { addressPicker } from './view-delivery.js';
import { addToCart } from './view-shop.js';
import { secondsLeft, clockText, everySecond } from './countdown.js';
import { notYet, readOrNotYet } from './view-social.js';

/** A referral is rewarded when the new account's first order totals at least this (API.md §20). */
const REFERRAL_MINIMUM = 1000;

function loginHash(path) {
  return `#/login?next=${encodeURIComponent(path)}`;
}

/** "24 hours" or "90 minutes": a team's window. */
function windowText(seconds) {
  return seconds % 3600 === 0 ? t('teams.hours', { n: seconds / 3600 }) : t('teams.minutes', { n: Math.round(seconds / 60) });
}

// MARK: - share links

/** The address of a share code's landing page on this site. */
export function shareURL(code) {
  return `${window.location.origin}${window.location.pathname}#/s/${encodeURIComponent(code)}`;
}

/** Share links made in this tab, newest first (the API has no list of them). */
function storedShares() {
  try { return JSON.parse(sessionStorage.getItem('basar.shares') || '[]'); } catch { return []; }
}

function rememberShare(share, label) {
  const list = [{ code: share.code, target_type: share.target_type, target_id: share.target_id, label, created_at: share.created_at },
    ...storedShares().filter((s) => s.code !== share.code)].slice(0, 20);
  sessionStorage.setItem('basar.shares', JSON.stringify(list));
}

/** A link in a read-only field with a copy button. */
function linkField(url) {
  const input = h('input', { readonly: true, value: url, 'aria-label': t('teams.share_link'), 'data-testid': 'share-link', class: 'share-url' });
  const copy = h('button', { type: 'button', class: 'small secondary', 'data-testid': 'copy-link' }, t('teams.copy'));
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(url);
      toast(t('teams.copied'), 'ok');
    } catch {
      toast(t('teams.copy_yourself'));
    }
  });
  return h('div', { class: 'share-row' }, input, copy);
}

/**
 * A "Share" button for a product, live show or team (`POST /v1/shares`): it makes one link per page visit and shows
 * it with a copy button. Hidden when the server has no shares.
 */
export function shareBox(targetType, targetId, label) {
  const button = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'share' }, t('teams.share'));
  const out = h('div', { class: 'share-out', 'aria-live': 'polite' });
  const box = h('div', { class: 'share' }, button, out);
  let share = null;
  button.addEventListener('click', () => busy(button, async () => {
    if (!session.signedIn) { window.location.hash = loginHash(window.location.hash.slice(1) || '/'); return; }
    try {
      if (!share) {
        share = await post('/v1/shares', { target_type: targetType, target_id: targetId });
        rememberShare(share, label);
      }
      replace(out, linkField(shareURL(share.code)), h('p', { class: 'hint' }, t('teams.share_hint', { amount: money(REFERRAL_MINIMUM) })));
    } catch (error) {
      if (unavailable(error)) { box.hidden = true; toast(t('common.unavailable')); return; }
      toast(errorMessage(error), 'error');
    }
  }));
  return box;
}

// MARK: - the product page's team deal

/** Opens a team for `deal` and goes to its page. */
async function openTeam(deal, address, keyed, box, go) {
  const body = address.value ? { address_id: address.value } : {};
  try {
    const team = await post(`/v1/team-deals/${seg(deal.id)}/teams`, body, { key: keyed.key });
    keyed.settle();
    go(`#/teams/${seg(team.id)}`);
  } catch (error) {
    keyed.settle(error);
    showError(box, error);
    if (error.code === 'insufficient_funds') box.append(h('p', {}, h('a', { href: '#/wallet' }, t('wallet.top_up'))));
  }
}

function dealOffer(deal, product, go) {
  const box = notice();
  const address = addressPicker();
  const keyed = intent();
  const alone = h('button', { type: 'button', class: 'secondary', 'data-testid': 'buy-alone' }, t('teams.buy_alone'));
  alone.addEventListener('click', () => busy(alone, async () => {
    try { await addToCart(product, 1, go); } catch (error) { showError(box, error); }
  }));
  const start = h('button', { type: 'button', 'data-testid': 'start-team' }, t('teams.start'));
  start.addEventListener('click', () => busy(start, async () => {
    if (!session.signedIn) { go(loginHash(`/product/${product.id}`)); return; }
    await openTeam(deal, address, keyed, box, go);
  }));
  const saving = product.price_cents > 0 ? Math.round((1 - deal.team_price_cents / product.price_cents) * 100) : 0;
  if (session.signedIn) address.load();
  return h('div', { class: 'deal', 'data-deal-id': deal.id },
    h('h2', {}, t('teams.deal_title')),
    h('p', { class: 'deal-line', 'data-testid': 'deal-line' }, t('teams.alone_or_team', {
      alone: money(product.price_cents, product.currency), team: money(deal.team_price_cents, deal.currency), n: deal.team_size,
    })),
    h('div', { class: 'choice' },
      h('div', { class: 'choice-item' }, h('small', {}, t('teams.alone')), h('strong', { class: 'price' }, money(product.price_cents, product.currency)),
        product.stock > 0 ? alone : null),
      h('div', { class: 'choice-item team' }, h('small', {}, t('teams.with_team', { n: deal.team_size })),
        h('strong', { class: 'price', 'data-testid': 'team-price' }, money(deal.team_price_cents, deal.currency),
          saving > 0 ? h('span', { class: 'badge flash' }, `−${saving} %`) : null),
        start)),
    h('p', { class: 'hint' }, t('teams.how', { n: deal.team_size, window: windowText(deal.window_seconds), team: money(deal.team_price_cents, deal.currency) })),
    address.element, box);
}

/** The merchant's deals of this product: switch one off, or offer a new one. */
function merchantDeals(product, deals, reload) {
  const price = h('input', { name: 'team_price_cents', inputmode: 'decimal', placeholder: '9,99', 'data-testid': 'deal-price' });
  const size = h('input', { name: 'team_size', type: 'number', min: 2, max: 10, value: '3', 'data-testid': 'deal-size' });
  const minutes = h('input', { name: 'window_seconds', type: 'number', min: 1, max: 1440, value: '1440', 'data-testid': 'deal-window' });
  const submit = h('button', { type: 'submit', 'data-testid': 'deal-create' }, t('teams.offer'));
  const box = notice();
  const form = h('form', { novalidate: true },
    h('div', { class: 'grid3' }, field(t('teams.team_price'), price), field(t('teams.team_size'), size), field(t('teams.window_minutes'), minutes)),
    box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const cents = parseCents(price.value);
      if (cents === null) { showError(box, { code: 'invalid_request', errors: [{ field: 'team_price_cents', message: t('common.amount_format') }] }, form); return; }
      try {
        await post('/v1/team-deals', { product_id: product.id, team_price_cents: cents, team_size: Number(size.value), window_seconds: Number(minutes.value) * 60 });
        toast(t('teams.offered'), 'ok');
        reload();
      } catch (error) { showError(box, error, form); }
    });
  });
  const rows = deals.map((d) => {
    const off = h('button', { type: 'button', class: 'link-button', 'data-testid': 'deal-off' }, t('teams.switch_off'));
    off.addEventListener('click', () => busy(off, async () => {
      try { await patch(`/v1/team-deals/${seg(d.id)}`, { active: false }); reload(); } catch (error) { showError(box, error); }
    }));
    return h('li', { class: 'row-item' }, h('span', {}, t('teams.deal_short', { price: money(d.team_price_cents, d.currency), n: d.team_size })),
      h('small', { class: 'muted' }, windowText(d.window_seconds)), off);
  });
  return h('details', { class: 'merchant-deals' }, h('summary', {}, t('teams.merchant_title')),
    rows.length ? h('ul', { class: 'rows' }, rows) : null, form);
}

/**
 * The team deal of a product page: "buy alone €X or with a team €Y" when a deal is on, and the merchant's deal
 * controls. Nothing at all on a server without team buys.
 */
export function teamDeal(product, go) {
  const section = h('section', { class: 'card team-deal', hidden: true, 'data-testid': 'team-deal' });
  async function load() {
    let deals;
    try {
      deals = (await get('/v1/team-deals', { product_id: product.id, limit: 20 })).data
        .filter((d) => d.active && (d.product?.id ?? product.id) === product.id);
    } catch {
      return; // no team buys here: the page stays as it was
    }
    const merchant = session.has('merchant');
    section.hidden = !deals.length && !merchant;
    replace(section, deals.length ? dealOffer(deals[0], product, go) : null, merchant ? merchantDeals(product, deals, load) : null);
  }
  load();
  return section;
}

// MARK: - team page

const STATUS = {
  forming: () => t('teams.status_forming'), completed: () => t('teams.status_completed'), failed: () => t('teams.status_failed'),
};

function teamProgress(team) {
  return t('teams.members_of', { n: team.members.length, size: team.team_size });
}

export async function team(main, { params, go }) {
  const id = params[0];
  let current = await readOrNotYet(main, t('teams.team'), () => get(`/v1/teams/${seg(id)}`));
  if (!current) return undefined;
  const me = session.account;
  const product = await get(`/v1/products/${seg(current.product_id)}`).catch(() => null);
  const head = h('div', {});
  const membersEl = h('ul', { class: 'team-members', 'data-testid': 'team-members' });
  const clock = h('p', { class: 'clock team-clock', 'data-testid': 'team-countdown', role: 'timer' });
  const outcome = h('div', { 'aria-live': 'polite' });
  const actions = h('div', {});
  const box = notice();
  const address = addressPicker();
  const keyed = intent();
  const join = h('button', { type: 'button', 'data-testid': 'join-team' }, t('teams.join', { price: money(current.team_price_cents, current.currency) }));
  const share = shareBox('team', id, product ? product.title : t('teams.team'));
  const rules = h('p', { class: 'hint' }, t('teams.rules', { n: current.team_size, time: dateTime(current.expires_at) }));
  let shown = '';
  let refreshing = false;

  const isMember = () => Boolean(me) && current.members.some((m) => m.account_id === me.id);

  function render() {
    const snapshot = JSON.stringify([current.status, current.members, current.order_ids]);
    if (snapshot === shown) return;
    shown = snapshot;
    replace(head, h('p', {}, h('span', { class: `badge team-${current.status}`, 'data-testid': 'team-status' }, STATUS[current.status]?.() ?? current.status),
      ' ', h('strong', { 'data-testid': 'team-progress' }, teamProgress(current)), ' · ', money(current.team_price_cents, current.currency)));
    const slots = Math.max(0, current.team_size - current.members.length);
    replace(membersEl, current.members.map((m) => h('li', { class: 'member', 'data-account-id': m.account_id },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, (m.display_name || '?').charAt(0).toUpperCase()),
      h('span', {}, m.account_id === me?.id ? t('teams.you') : m.display_name))),
    Array.from({ length: slots }, () => h('li', { class: 'member slot' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, '?'),
      h('span', { class: 'muted' }, t('teams.free_place')))));
    if (current.status === 'completed') {
      const order = current.order_ids[0];
      showOk(outcome, t('teams.completed_note', { price: money(current.team_price_cents, current.currency) }), ' ',
        order ? h('a', { href: `#/orders/${seg(order)}`, 'data-testid': 'team-order' }, t('teams.see_order')) : null);
    } else if (current.status === 'failed') {
      replace(outcome, h('div', { class: 'notice', role: 'status', 'data-testid': 'team-failed' },
        isMember() ? t('teams.failed_note', { price: money(current.team_price_cents, current.currency) }) : t('teams.failed_other')));
    } else {
      replace(outcome);
    }
    rules.hidden = current.status !== 'forming';
    const canJoin = current.status === 'forming' && !isMember();
    replace(actions,
      canJoin ? [address.element, join] : null,
      current.status === 'forming' && isMember() ? h('p', { class: 'hint' }, t('teams.invite_friends', { n: slots })) : null,
      current.status === 'forming' && session.signedIn ? share : null);
  }

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try { current = await get(`/v1/teams/${seg(id)}`); render(); } catch { /* keep what is shown */ } finally { refreshing = false; }
  }

  join.addEventListener('click', () => busy(join, async () => {
    if (!session.signedIn) { go(loginHash(`/teams/${id}`)); return; }
    try {
      current = await post(`/v1/teams/${seg(id)}/members`, address.value ? { address_id: address.value } : {}, { key: keyed.key });
      keyed.settle();
      box.hidden = true;
      toast(t('teams.joined'), 'ok');
      render();
    } catch (error) {
      keyed.settle(error);
      if (error.code === 'already_joined') { await refresh(); return; }
      showError(box, error.code === 'sold_out' ? { code: 'team_full', detail: t('teams.full') } : error);
      if (error.code === 'insufficient_funds') box.append(h('p', {}, h('a', { href: '#/wallet' }, t('wallet.top_up'))));
      await refresh();
    }
  }));

  const stopClock = everySecond(() => {
    if (current.status !== 'forming') { clock.hidden = true; return; }
    clock.hidden = false;
    const left = secondsLeft(current.expires_at);
    clock.textContent = left > 0 ? t('teams.time_left', { time: clockText(left) }) : t('teams.time_up');
    clock.dataset.seconds = String(left);
  });
  // The team changes when others join or its window ends: read it again every few seconds while it forms.
  const poll = setInterval(() => { if (current.status === 'forming') refresh(); }, 4000);

  if (session.signedIn) address.load();
  replace(main,
    product ? h('p', {}, h('a', { href: `#/product/${seg(product.id)}` }, '← ', h('span', catalogText, product.title))) : null,
    title(product ? t('teams.team_for', { title: product.title }) : t('teams.team')),
    h('div', { class: 'team-page' },
      product ? productImage(product, 'thumb team-thumb') : null,
      h('div', {}, head, clock, membersEl, outcome, box, actions,
        rules)));
  render();
  return () => { stopClock(); clearInterval(poll); };
}

// MARK: - invite landing page

const WHAT = {
  product: () => t('teams.invite_what_product'), team: () => t('teams.invite_what_team'), live_session: () => t('teams.invite_what_live'),
};

export async function landing(main, { params, go }) {
  const code = params[0];
  let share;
  try {
    share = await get(`/v1/shares/${seg(code)}`);
  } catch (error) {
    if (unavailable(error)) return notYet(main, t('teams.invite'));
    if (error.status === 404) {
      replace(main, title(t('teams.invite')), h('div', { class: 'notice', role: 'status', 'data-testid': 'invite-unknown' }, t('teams.invite_unknown')),
        h('p', {}, h('a', { href: '#/' }, t('nav.shop'))));
      return undefined;
    }
    throw error;
  }
  const name = share.sharer.display_name;
  const target = h('div', { 'data-testid': 'invite-target' });
  let next = '/';
  if (share.target_type === 'product') {
    next = `/product/${share.target_id}`;
    const product = await get(`/v1/products/${seg(share.target_id)}`).catch(() => null);
    if (product) {
      replace(target, h('article', { class: 'card invite-product' }, productImage(product, 'thumb'),
        h('div', {}, h('a', { href: `#/product/${seg(product.id)}`, class: 'product-title', ...catalogText }, product.title),
          h('p', { class: 'price' }, money(product.price_cents, product.currency)))),
      teamDeal(product, go));
    }
  } else if (share.target_type === 'team') {
    next = `/teams/${share.target_id}`;
    let invited = null;
    if (session.signedIn) invited = await get(`/v1/teams/${seg(share.target_id)}`).catch(() => null);
    replace(target, h('div', { class: 'card' }, h('p', {}, t('teams.invite_team', { name })),
      invited ? h('p', { class: 'muted' }, teamProgress(invited), ' · ', money(invited.team_price_cents, invited.currency),
        invited.status === 'forming' ? [' · ', t('teams.time_left', { time: clockText(secondsLeft(invited.expires_at)) })] : [' · ', STATUS[invited.status]?.()]) : null,
      session.signedIn ? h('a', { href: `#/teams/${seg(share.target_id)}`, class: 'button', 'data-testid': 'open-team' }, t('teams.open_team'))
        : h('p', { class: 'hint' }, t('teams.invite_team_login'))));
  } else if (share.target_type === 'live_session') {
    next = `/live/${share.target_id}`;
    const live = await get(`/v1/live-sessions/${seg(share.target_id)}`).catch(() => null);
    replace(target, h('div', { class: 'card' }, h('p', {}, live ? live.title : ''),
      h('a', { href: `#/live/${seg(share.target_id)}`, class: 'button', 'data-testid': 'open-live' }, t('teams.open_live'))));
  }
  const safeNext = /^\/[A-Za-z0-9/_-]*$/.test(next) ? next : '/';
  const welcome = session.signedIn ? null : h('section', { class: 'card invite-signup' },
    h('h2', {}, t('teams.invite_new')), h('p', {}, t('teams.invite_reward', { name, amount: money(REFERRAL_MINIMUM) })),
    h('div', { class: 'row' },
      h('a', { href: `#/signup?ref=${encodeURIComponent(share.code)}&next=${encodeURIComponent(safeNext)}`, class: 'button', 'data-testid': 'signup-with-invite' }, t('teams.signup_invite')),
      h('a', { href: loginHash(safeNext), class: 'button secondary' }, t('nav.login'))));
  replace(main, title(t('teams.invited_by', { name }), { 'data-testid': 'invite-title' }),
    h('p', { class: 'muted' }, (WHAT[share.target_type] || WHAT.product)()),
    welcome, target);
  return undefined;
}

// MARK: - my referrals

export async function referrals(main) {
  const counts = await readOrNotYet(main, t('teams.referrals_title'), () => get('/v1/me/referrals'));
  if (!counts) return undefined;
  const stat = (key, value, testid) => h('div', {}, h('dt', {}, t(key)), h('dd', { 'data-testid': testid }, String(value)));
  const links = storedShares();
  const teamsEl = h('ul', { class: 'rows', 'data-testid': 'my-teams' });
  replace(main, title(t('teams.referrals_title')),
    h('p', { class: 'hint' }, t('teams.referrals_intro', { amount: money(REFERRAL_MINIMUM) })),
    h('dl', { class: 'stats', 'data-testid': 'referral-counts' },
      stat('teams.signed_up', counts.signed_up, 'signed-up'), stat('teams.rewarded', counts.rewarded, 'rewarded'),
      stat('teams.pending', counts.pending, 'pending')),
    h('h2', {}, t('teams.my_links')),
    h('ul', { class: 'rows', 'data-testid': 'my-links' }, links.length ? links.map((s) => h('li', { class: 'row-item share-item' },
      h('span', { class: 'grow' }, s.label || s.code), h('small', { class: 'muted' }, dateTime(s.created_at)), linkField(shareURL(s.code))))
      : h('li', { class: 'empty' }, t('teams.no_links'))),
    h('h2', {}, t('teams.my_teams')), teamsEl);
  try {
    const page = await get('/v1/me/teams', { limit: 20 });
    const titles = new Map();
    await Promise.all([...new Set(page.data.map((x) => x.product_id))].map((pid) => get(`/v1/products/${seg(pid)}`)
      .then((p) => titles.set(pid, p.title)).catch(() => {})));
    replace(teamsEl, page.data.length ? page.data.map((x) => h('li', { class: 'row-item', 'data-team-id': x.id },
      h('a', { href: `#/teams/${seg(x.id)}`, class: 'grow', ...catalogText }, titles.get(x.product_id) || t('teams.team')),
      h('span', { class: `badge team-${x.status}` }, STATUS[x.status]?.() ?? x.status), h('small', { class: 'muted' }, teamProgress(x))))
      : h('li', { class: 'empty' }, t('teams.no_teams')));
  } catch {
    teamsEl.hidden = true;
    teamsEl.previousElementSibling.hidden = true;
  }
  return undefined;
}

// Social commerce I (API.md §20): following hosts, a host's page, communities with their members-only chat and event
// stream, and red packets — sent into a community, opened first come first served, and checked in the browser once
// their seed is revealed (as the games check their draws).
import { get, post, put, del, seg, session, intent, unavailable } from './api.js';
import { ticketStream } from './events.js';
import { t, errorMessage } from './i18n.js';
import { h, svg, replace, money, notice, showError, showOk, busy, title, toast, dateTime, field, parseCents } from './ui.js';
import { chatMessage, chatList, addToChat, removeFromChat, chatComposer } from './chat.js';
import { verifyPacket } from './redpacket.js';
import { statusBadge } from './view-live.js';

/** The calm page of a module the server does not have yet (404 'No resource at' or 405). */
export function notYet(main, heading, back) {
  replace(main, back || null, title(heading), h('p', { class: 'muted', 'data-testid': 'unavailable' }, t('common.unavailable')));
}

/**
 * Reads what a page shows; on a server without the route the page says so calmly instead (and this returns null).
 */
export async function readOrNotYet(main, heading, read, back) {
  try {
    return await read();
  } catch (error) {
    if (!unavailable(error)) throw error;
    notYet(main, heading, back);
    return null;
  }
}

function loginHash(path) {
  return `#/login?next=${encodeURIComponent(path)}`;
}

// MARK: - following

/** The ids of the hosts the signed-in account follows (read once per account and kept up to date by the buttons). */
let following = null;

async function followedIds() {
  const token = session.token;
  if (following && following.token === token) return following.ids;
  const ids = (async () => {
    const set = new Set();
    let cursor = null;
    for (let page = 0; page < 5; page += 1) {
      const result = await get('/v1/me/following', { limit: 100, cursor });
      for (const f of result.data) set.add(f.account_id);
      cursor = result.next_cursor;
      if (!cursor) break;
    }
    return set;
  })();
  following = { token, ids };
  ids.catch(() => { if (following?.ids === ids) following = null; });
  return ids;
}

/**
 * A follow button for a host (`PUT`/`DELETE /v1/me/following/{id}`): "Follow" or "Following ✓". Nothing for the host
 * themselves; signed-out people are sent to the login; hidden when the server has no follows. `onChange(delta)`
 * hears +1 or −1 after a change.
 */
export function followButton(hostId, { onChange, back } = {}) {
  const button = h('button', { type: 'button', class: 'secondary small follow', 'data-testid': 'follow', 'aria-pressed': 'false' }, t('social.follow'));
  if (session.account?.id === hostId) return null;
  let followed = false;
  function render() {
    button.setAttribute('aria-pressed', String(followed));
    button.textContent = followed ? t('social.following_host') : t('social.follow');
    button.classList.toggle('on', followed);
  }
  if (session.signedIn) {
    followedIds().then((ids) => { followed = ids.has(hostId); render(); })
      .catch((error) => { if (unavailable(error)) button.hidden = true; });
  }
  button.addEventListener('click', () => busy(button, async () => {
    if (!session.signedIn) { window.location.hash = loginHash(back || `/hosts/${hostId}`); return; }
    try {
      if (followed) await del(`/v1/me/following/${seg(hostId)}`); else await put(`/v1/me/following/${seg(hostId)}`);
      followed = !followed;
      const ids = await followedIds().catch(() => null);
      if (ids) { if (followed) ids.add(hostId); else ids.delete(hostId); }
      render();
      toast(followed ? t('social.followed') : t('social.unfollowed'), 'ok');
      onChange?.(followed ? 1 : -1);
    } catch (error) {
      toast(unavailable(error) ? t('common.unavailable') : errorMessage(error), 'error');
    }
  }));
  render();
  return button;
}

/** Pages through a public list (at most `pages` pages of 100) and keeps what `keep` accepts. */
async function collect(path, params, keep, pages = 3) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < pages; i += 1) {
    const page = await get(path, { ...params, limit: 100, cursor });
    out.push(...page.data.filter(keep));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

// MARK: - host page

export async function host(main, { params }) {
  const id = params[0];
  const profile = await readOrNotYet(main, t('social.host'), () => get(`/v1/hosts/${seg(id)}`));
  if (!profile) return undefined;
  const followers = h('span', { 'data-testid': 'followers' });
  const showFollowers = () => { followers.textContent = t('social.followers', { n: profile.followers }); };
  showFollowers();
  const follow = followButton(id, { onChange: (delta) => { profile.followers = Math.max(0, profile.followers + delta); showFollowers(); } });
  const liveNow = profile.live_session_id
    ? h('p', { class: 'live-now', 'data-testid': 'host-live' }, h('span', { class: 'badge live-live' }, t('live.status.live')), ' ',
      h('a', { href: `#/live/${seg(profile.live_session_id)}` }, t('social.watch_now')))
    : h('p', { class: 'muted' }, t('social.not_live'));
  const communitiesEl = h('ul', { class: 'rows', 'data-testid': 'host-communities' });
  const showsEl = h('ul', { class: 'rows', 'data-testid': 'host-shows' });
  replace(main, h('p', {}, h('a', { href: '#/communities' }, '← ', t('social.communities'))),
    h('div', { class: 'host-head' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, (profile.display_name || '?').charAt(0).toUpperCase()),
      h('div', {}, title(profile.display_name), h('p', { class: 'muted' }, followers))),
    follow ? h('p', {}, follow) : null, liveNow,
    h('h2', {}, t('social.host_communities')), communitiesEl,
    h('h2', {}, t('social.host_shows')), showsEl);
  const [communities, shows] = await Promise.all([
    collect('/v1/communities', {}, (c) => c.owner.account_id === id).catch(() => []),
    Promise.all(['scheduled', 'ended'].map((status) => collect('/v1/live-sessions', { status }, (s) => s.host.account_id === id, 1).catch(() => [])))
      .then((lists) => lists.flat()),
  ]);
  replace(communitiesEl, communities.length ? communities.map(communityRow) : h('li', { class: 'empty' }, t('social.no_communities')));
  replace(showsEl, shows.length ? shows.slice(0, 20).map((s) => h('li', { class: 'row-item', 'data-session-id': s.id },
    h('a', { href: s.status === 'ended' ? `#/replay/${seg(s.id)}` : `#/live/${seg(s.id)}` }, s.title), statusBadge(s.status),
    h('small', { class: 'muted' }, dateTime(s.ended_at || s.scheduled_at || s.started_at)))) : h('li', { class: 'empty' }, t('social.no_shows')));
  return undefined;
}

// MARK: - communities

function communityRow(c) {
  return h('li', { class: 'row-item community-row', 'data-community-id': c.id },
    h('a', { href: `#/communities/${seg(c.id)}`, class: 'grow' }, c.name),
    h('small', { class: 'muted' }, t('social.members', { n: c.member_count }), ' · ', c.owner.display_name));
}

export async function communities(main, { go }) {
  const referrals = h('p', {}, h('a', { href: '#/referrals', 'data-testid': 'referrals-link' }, t('teams.referrals_title')));
  const list = await readOrNotYet(main, t('social.communities'), () => collect('/v1/communities', {}, () => true, 1));
  if (!list) return undefined;
  const followingEl = h('ul', { class: 'rows', 'data-testid': 'following' });
  const form = session.has('host') || session.has('merchant') ? createCommunityForm(go) : null;
  replace(main, title(t('social.communities')), h('p', { class: 'hint' }, t('social.communities_intro')),
    h('ul', { class: 'rows', 'data-testid': 'communities' }, list.length ? list.map(communityRow) : h('li', { class: 'empty' }, t('social.no_communities'))),
    form,
    session.signedIn ? [h('h2', {}, t('social.following')), followingEl, referrals] : null);
  if (session.signedIn) {
    try {
      const page = await get('/v1/me/following', { limit: 100 });
      replace(followingEl, page.data.length ? page.data.map((f) => h('li', { class: 'row-item', 'data-host-id': f.account_id },
        h('a', { href: `#/hosts/${seg(f.account_id)}`, class: 'grow' }, f.display_name),
        h('small', { class: 'muted' }, t('social.since', { time: dateTime(f.followed_at) }))))
        : h('li', { class: 'empty' }, t('social.following_none')));
    } catch (error) {
      replace(followingEl, h('li', { class: 'muted' }, unavailable(error) ? t('common.unavailable') : errorMessage(error)));
    }
  }
  return undefined;
}

function createCommunityForm(go) {
  const name = h('input', { name: 'name', maxlength: 100, required: true, 'data-testid': 'community-name' });
  const description = h('textarea', { name: 'description', rows: 2, maxlength: 1000 });
  const submit = h('button', { type: 'submit', 'data-testid': 'community-create' }, t('social.create'));
  const box = notice();
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('social.new_community')),
    field(t('social.name'), name), field(t('field.description'), description), box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      try {
        const created = await post('/v1/communities', { name: name.value.trim(), description: description.value.trim() });
        go(`#/communities/${seg(created.id)}`);
      } catch (error) { showError(box, error, form); }
    });
  });
  return form;
}

// MARK: - red packets remembered in this tab (the API tells a claimant their share only once)

function claims() {
  try { return JSON.parse(sessionStorage.getItem('basar.packets') || '{}'); } catch { return {}; }
}

function rememberClaim(id, claim) {
  const all = claims();
  all[id] = claim;
  const ids = Object.keys(all).slice(-100);
  sessionStorage.setItem('basar.packets', JSON.stringify(Object.fromEntries(ids.map((k) => [k, all[k]]))));
}

/** What a packet card says about itself, and whether it can still be opened by this account. */
function packetState(p) {
  const mine = claims()[p.id];
  if (mine) return { mine, open: false };
  if (p.claimed_count >= p.count) return { open: false, note: t('social.packet_all_opened') };
  if (Date.parse(p.expires_at) <= Date.now()) return { open: false, note: t('social.packet_expired') };
  if (session.account?.id === p.sender.account_id) return { open: true, note: t('social.packet_yours') };
  return { open: true };
}

/**
 * Opens a packet (`POST /v1/red-packets/{id}/claims`, one Idempotency-Key per intent) and remembers the share.
 * @returns {Promise<void>} after `done` has been called with the packet's new state.
 */
async function openPacket(p, keyed, done) {
  try {
    const claim = await post(`/v1/red-packets/${seg(p.id)}/claims`, {}, { key: keyed.key });
    keyed.settle();
    rememberClaim(p.id, { index: claim.index, amount_cents: claim.amount_cents, currency: claim.currency });
    p.claimed_count = Math.max(p.claimed_count, claim.index + 1);
    toast(t('social.packet_got', { amount: money(claim.amount_cents, claim.currency) }), 'ok');
  } catch (error) {
    keyed.settle(error);
    if (error.code === 'already_claimed') rememberClaim(p.id, { index: null, amount_cents: null, currency: p.currency });
    else if (error.code === 'sold_out') p.claimed_count = p.count;
    toast(error.code === 'already_claimed' ? t('social.packet_opened_before') : errorMessage(error), error.code === 'already_claimed' ? 'info' : 'error');
  }
  done();
}

function packetLine(p) {
  return t('social.packet_line', { total: money(p.total_cents, p.currency), n: p.count, opened: p.claimed_count });
}

/** A red envelope with its golden seal. */
function packetIcon() {
  return svg('svg', { class: 'packet-icon', viewBox: '0 0 40 48', width: 40, height: 48, 'aria-hidden': 'true' },
    svg('rect', { x: 1, y: 1, width: 38, height: 46, rx: 5, fill: '#f04a54', stroke: '#ffc145', 'stroke-width': 2 }),
    svg('path', { d: 'M1 13 L20 25 L39 13', fill: 'none', stroke: '#ffc145', 'stroke-width': 2 }),
    svg('circle', { cx: 20, cy: 25, r: 7, fill: '#ffc145' }));
}

function packetCard(p, rerender) {
  const state = packetState(p);
  const keyed = intent();
  const button = h('button', { type: 'button', class: 'packet-open', 'data-testid': 'open-packet' }, t('social.packet_open'));
  button.addEventListener('click', () => busy(button, () => openPacket(p, keyed, rerender)));
  const mine = state.mine
    ? h('p', { class: 'packet-got', 'data-testid': 'packet-got' }, state.mine.amount_cents === null
      ? t('social.packet_opened_before') : t('social.packet_got', { amount: money(state.mine.amount_cents, state.mine.currency || p.currency) }))
    : null;
  return h('li', { class: `packet${state.open ? '' : ' packet-done'}`, 'data-packet-id': p.id },
    packetIcon(),
    h('div', { class: 'packet-body' },
      h('strong', {}, t('social.packet_from', { name: p.sender.display_name })),
      h('span', { class: 'packet-message' }, p.message || t('social.packet_default_message')),
      h('small', { 'data-testid': 'packet-progress' }, packetLine(p)),
      state.note ? h('small', {}, state.note) : null, mine,
      h('a', { href: `#/red-packets/${seg(p.id)}`, class: 'packet-link', 'data-testid': 'packet-details' }, t('social.packet_details'))),
    state.open ? button : null);
}

/** The community's earlier packets: its stream replayed from the start (Last-Event-ID 0) until it goes quiet. */
async function earlierPackets(id, onEvent) {
  const controller = new AbortController();
  const stop = setTimeout(() => controller.abort(), 4000);
  let quiet = null;
  const settle = () => { clearTimeout(quiet); quiet = setTimeout(() => controller.abort(), 400); };
  try {
    const response = await fetch(`/v1/communities/${seg(id)}/events`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${session.token}`, 'Last-Event-ID': '0' },
      cache: 'no-store', credentials: 'omit', signal: controller.signal,
    });
    if (!response.ok || !response.body) { controller.abort(); return; }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    settle();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      const blocks = text.split('\n\n');
      text = blocks.pop();
      for (const block of blocks) {
        const name = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = [...block.matchAll(/^data: ?(.*)$/mg)].map((m) => m[1]).join('\n');
        if (name && data) { try { onEvent(name, JSON.parse(data)); } catch { /* not JSON: skip */ } }
      }
      settle();
    }
  } catch { /* aborted when quiet, or no stream: only the packets seen live are shown */ } finally {
    clearTimeout(stop);
    clearTimeout(quiet);
    controller.abort();
  }
}

// MARK: - community page

export async function community(main, { params }) {
  const id = params[0];
  const path = `/communities/${id}`;
  const back = h('p', {}, h('a', { href: '#/communities' }, '← ', t('social.communities')));
  const c = await readOrNotYet(main, t('social.community'), () => get(`/v1/communities/${seg(id)}`), back);
  if (!c) return undefined;
  const me = session.account;
  const isOwner = Boolean(me) && c.owner.account_id === me.id;
  let member = false;
  let stream = null;
  let closed = false;
  const packets = new Map();

  const membersEl = h('span', { 'data-testid': 'member-count' });
  const actions = h('div', { class: 'row' });
  const box = notice();
  const liveEl = h('div', { 'aria-live': 'polite' });
  const connection = h('span', { class: 'conn', role: 'status' });
  const chat = chatList('community-chat');
  const chatBox = notice();
  const packetsEl = h('ul', { class: 'packets', 'data-testid': 'packets', 'aria-live': 'polite' });
  const memberArea = h('div', {});

  function renderHead() {
    membersEl.textContent = t('social.members', { n: c.member_count });
    const join = h('button', { type: 'button', 'data-testid': 'join' }, t('social.join'));
    const leave = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'leave' }, t('social.leave'));
    join.addEventListener('click', () => busy(join, async () => {
      if (!session.signedIn) { window.location.hash = loginHash(path); return; }
      try {
        await post(`/v1/communities/${seg(id)}/members`);
        c.member_count += 1;
        toast(t('social.joined', { name: c.name }), 'ok');
        await becomeMember();
      } catch (error) {
        if (error.code === 'already_joined') { await becomeMember(); return; }
        showError(box, error.code === 'limit_reached' ? { code: 'community_full', detail: t('social.full') } : error);
      }
    }));
    leave.addEventListener('click', () => busy(leave, async () => {
      if (!window.confirm(t('social.leave_confirm', { name: c.name }))) return;
      try {
        await del(`/v1/communities/${seg(id)}/members/me`);
        c.member_count = Math.max(0, c.member_count - 1);
        member = false;
        stream?.close();
        stream = null;
        renderHead();
        renderMemberArea();
      } catch (error) { showError(box, error); }
    }));
    replace(actions, isOwner ? h('span', { class: 'badge', 'data-testid': 'owner-badge' }, t('social.you_own')) : member ? leave : join, connection);
  }

  // Chat
  const moderation = isOwner ? {
    remove: async (m) => {
      try { await del(`/v1/communities/${seg(id)}/messages/${seg(m.id)}`); removeFromChat(chat, m.id); } catch (error) { toast(errorMessage(error), 'error'); }
    },
    mute: async (m) => {
      try {
        await post(`/v1/communities/${seg(id)}/mutes`, { account_id: m.account_id });
        toast(t('social.muted', { name: m.display_name }), 'ok');
      } catch (error) { toast(errorMessage(error), 'error'); }
    },
  } : null;
  const addMessage = (m) => addToChat(chat, chatMessage(m, moderation && m.account_id !== me.id ? moderation : null));
  const composer = chatComposer({
    box: chatBox,
    send: async (text) => {
      try {
        addMessage(await post(`/v1/communities/${seg(id)}/messages`, { text }));
      } catch (error) {
        // A member refused with 403 is muted (API.md §20): say so rather than "not allowed".
        throw error.code === 'forbidden' ? { code: 'community_muted', detail: t('social.muted_you') } : error;
      }
    },
  });

  async function loadMessages() {
    const page = await get(`/v1/communities/${seg(id)}/messages`, { limit: 50 });
    for (const m of [...page.data].reverse()) addMessage(m);
  }

  // Red packets
  function renderPackets() {
    const list = [...packets.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1)).slice(0, 20);
    replace(packetsEl, list.length ? list.map((p) => packetCard(p, renderPackets)) : h('li', { class: 'empty' }, t('social.no_packets')));
  }
  function packetEvent(name, d) {
    if (name === 'red_packet.created') {
      const known = packets.get(d.id);
      packets.set(d.id, known ? { ...d, claimed_count: Math.max(known.claimed_count, d.claimed_count) } : d);
    } else if (name === 'red_packet.claimed') {
      const p = packets.get(d.red_packet_id);
      if (p) p.claimed_count = Math.max(p.claimed_count, d.index + 1);
    } else {
      return;
    }
    renderPackets();
  }

  function sendForm() {
    const total = h('input', { name: 'total_cents', inputmode: 'decimal', placeholder: '5,00', required: true, 'data-testid': 'packet-total' });
    const count = h('input', { name: 'count', type: 'number', min: 1, max: 100, value: '5', inputmode: 'numeric', 'data-testid': 'packet-count' });
    const message = h('input', { name: 'message', maxlength: 100, autocomplete: 'off', placeholder: t('social.packet_default_message'), 'data-testid': 'packet-message' });
    const submit = h('button', { type: 'submit', 'data-testid': 'send-packet' }, t('social.packet_send'));
    const sendBox = notice();
    const keyed = intent();
    const form = h('form', { class: 'packet-form', novalidate: true },
      h('div', { class: 'grid2' }, field(t('social.packet_total'), total, t('social.packet_total_hint')), field(t('social.packet_count'), count)),
      field(t('social.packet_message'), message), sendBox, submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(submit, async () => {
        const cents = parseCents(total.value);
        const n = Number(count.value);
        const invalid = (name, text) => showError(sendBox, { code: 'invalid_request', errors: [{ field: name, message: text }] }, form);
        if (cents === null || cents < 1 || cents > 20000) { invalid('total_cents', t('social.packet_total_hint')); return; }
        if (!Number.isInteger(n) || n < 1 || n > 100) { invalid('count', t('social.packet_count_hint')); return; }
        if (cents < n) { invalid('total_cents', t('social.packet_cent_each')); return; }
        const body = { total_cents: cents, count: n, community_id: id };
        if (message.value.trim()) body.message = message.value.trim();
        try {
          const p = await post('/v1/red-packets', body, { key: keyed.key });
          keyed.settle();
          packets.set(p.id, p);
          renderPackets();
          showOk(sendBox, t('social.packet_sent', { total: money(p.total_cents, p.currency), n: p.count }));
          total.value = '';
          message.value = '';
        } catch (error) {
          keyed.settle(error);
          if (unavailable(error)) { showError(sendBox, { code: 'not_implemented' }); return; }
          showError(sendBox, error, form);
          if (error.code === 'insufficient_funds') sendBox.append(h('p', {}, h('a', { href: '#/wallet' }, t('wallet.top_up'))));
        }
      });
    });
    return h('details', { class: 'card packet-send' }, h('summary', { 'data-testid': 'packet-send-open' }, t('social.packet_send_title')),
      h('p', { class: 'hint' }, t('social.packet_intro')), form);
  }

  function renderMemberArea() {
    if (!member) {
      replace(memberArea, h('p', { class: 'notice', role: 'status', 'data-testid': 'members-only' },
        session.signedIn ? t('social.members_only') : t('social.members_only_login')));
      return;
    }
    replace(memberArea,
      h('div', { class: 'community-layout' },
        h('section', { 'aria-label': t('social.packets') }, h('h2', {}, t('social.packets')), packetsEl, sendForm()),
        h('section', { class: 'community-chat', 'aria-label': t('live.chat') }, h('h2', {}, t('live.chat')), chat, chatBox, composer)));
  }

  // Events: the stream opens with a ticket; on every (re)connection the messages are read again (a new ticket
  // cannot resume), and the events that arrive are applied on top.
  const handlers = {
    'message.created': addMessage,
    'message.deleted': (d) => removeFromChat(chat, d.message_id),
    'red_packet.created': (d) => packetEvent('red_packet.created', d),
    'red_packet.claimed': (d) => packetEvent('red_packet.claimed', d),
    'live.started': (d) => replace(liveEl, h('p', { class: 'notice notice-ok live-now', 'data-testid': 'community-live' },
      t('social.owner_live', { name: c.owner.display_name }), ' ', h('a', { href: `#/live/${seg(d.live_session_id)}` }, t('social.watch_now')))),
  };
  function openStream() {
    if (stream || closed) return;
    stream = ticketStream(`/v1/communities/${seg(id)}/events`, {
      events: Object.keys(handlers),
      onEvent: (name, data) => handlers[name]?.(data),
      onOpen: () => { loadMessages().catch(() => {}); },
      onState: (state) => {
        if (state === 'live') { connection.textContent = t('live.connected'); connection.className = 'conn ok'; }
        if (state === 'reconnecting') { connection.textContent = t('live.reconnecting'); connection.className = 'conn warn'; }
        if (state === 'off' || state === 'unavailable') { connection.textContent = ''; connection.className = 'conn'; }
      },
    });
  }

  async function becomeMember() {
    member = true;
    renderHead();
    renderMemberArea();
    renderPackets();
    await loadMessages().catch((error) => showError(chatBox, error));
    openStream();
    earlierPackets(id, packetEvent).then(() => { if (!closed) renderPackets(); });
  }

  replace(main, back, title(c.name),
    h('p', { class: 'muted' }, h('a', { href: `#/hosts/${seg(c.owner.account_id)}`, 'data-testid': 'owner-link' }, c.owner.display_name), ' · ', membersEl),
    c.description ? h('p', {}, c.description) : null, actions, box, liveEl, memberArea);
  renderHead();
  // Whether the caller is a member: the messages answer members only (403 otherwise).
  if (session.signedIn) {
    try {
      await get(`/v1/communities/${seg(id)}/messages`, { limit: 1 });
      member = true;
    } catch (error) {
      if (error.status !== 403) throw error;
    }
  }
  if (member) await becomeMember(); else { renderHead(); renderMemberArea(); }
  // The owner's live show, if one is on now.
  get(`/v1/hosts/${seg(c.owner.account_id)}`).then((p) => {
    if (p.live_session_id && !closed) handlers['live.started']({ live_session_id: p.live_session_id });
  }).catch(() => {});
  return () => { closed = true; stream?.close(); };
}

// MARK: - red packet page

export async function packet(main, { params }) {
  const id = params[0];
  let p;
  try {
    p = await get(`/v1/red-packets/${seg(id)}`);
  } catch (error) {
    if (unavailable(error)) return notYet(main, t('social.packet'));
    if (error.status === 404) {
      replace(main, title(t('social.packet')), h('div', { class: 'notice', role: 'status' }, t('social.packet_not_visible')));
      return undefined;
    }
    throw error;
  }
  const cardList = h('ul', { class: 'packets' });
  const render = () => replace(cardList, packetCard(p, async () => {
    try { p = await get(`/v1/red-packets/${seg(id)}`); } catch { /* keep what is shown */ }
    render();
    renderProof();
  }));
  const proof = h('section', { class: 'card fairness', 'aria-label': t('social.proof'), 'data-testid': 'packet-proof' });
  function renderProof() {
    const mine = claims()[p.id];
    const parts = [h('h2', {}, t('social.proof')), h('p', { class: 'hint' }, t('social.proof_intro')),
      h('p', {}, t('games.commitment'), ' ', h('code', { class: 'hash', 'data-testid': 'packet-commitment' }, p.server_seed_hash))];
    if (!p.server_seed) {
      parts.push(h('p', { class: 'muted', 'data-testid': 'packet-sealed' }, t('social.proof_sealed', { time: dateTime(p.expires_at) })));
      replace(proof, parts);
      return;
    }
    const out = h('div', { 'data-testid': 'packet-verdict-box' });
    const check = h('button', { type: 'button', class: 'small', 'data-testid': 'verify' }, t('games.verify'));
    check.addEventListener('click', () => busy(check, async () => {
      const result = await verifyPacket(p);
      const ok = result.commitment && result.same && result.sum === p.total_cents;
      const rows = result.shares.map((amount, index) => h('tr', { class: mine?.index === index ? 'mine' : null },
        h('td', {}, `#${index}`), h('td', { 'data-testid': 'share' }, money(amount, p.currency)),
        h('td', {}, p.shares?.[index] === amount ? '✓' : money(p.shares?.[index] ?? 0, p.currency)),
        h('td', {}, mine?.index === index ? t('social.proof_yours') : '')));
      replace(out,
        h('p', { class: result.commitment ? 'ok' : 'bad' }, result.commitment ? t('games.hash_ok') : t('games.bad_commitment')),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table shares', 'data-testid': 'recomputed' },
          h('caption', {}, t('social.proof_shares')),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('social.proof_index')), h('th', { scope: 'col' }, t('social.proof_recomputed')),
            h('th', { scope: 'col' }, t('social.proof_server')), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('social.proof_yours'))))),
          h('tbody', {}, rows))),
        h('p', { class: `verdict ${ok ? 'ok' : 'bad'}`, 'data-testid': 'verdict', 'data-ok': String(ok) },
          ok ? t('social.proof_ok', { total: money(result.sum, p.currency), n: result.shares.length }) : t('social.proof_bad')));
    }));
    parts.push(h('p', {}, t('games.revealed'), ' ', h('code', { class: 'hash', 'data-testid': 'packet-seed' }, p.server_seed)), check, out);
    replace(proof, parts);
  }
  render();
  renderProof();
  replace(main, h('p', {}, h('a', { href: `#/communities/${seg(p.community_id)}` }, '← ', t('social.community'))),
    title(t('social.packet_from', { name: p.sender.display_name })),
    h('p', { class: 'muted' }, t('social.packet_created', { time: dateTime(p.created_at) }), ' · ', t('social.packet_expires', { time: dateTime(p.expires_at) })),
    cardList, proof);
  return undefined;
}

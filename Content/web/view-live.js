// Live shows (API.md §9): the list and the show page, driven by the session's server-sent events.
// A signed-in viewer opens the stream with a single-use ticket (API.md §24), so the show counts them as a viewer and
// their purchase in its conversion; after a drop the stream is opened again with a fresh ticket and the show is read
// again (a new ticket cannot resume). Anonymous viewers connect without one; after a drop their browser reconnects by
// itself and sends Last-Event-ID, and the server replays what was missed.
import { get, post, del, seg, session, intent } from './api.js';
import { ticketStream } from './events.js';
import { t, errorMessage } from './i18n.js';
import { clock as clockIcon, ticket } from './icons.js';
import { h, replace, money, notice, showError, busy, title, toast, dateTime, productImage, catalogText } from './ui.js';
import { chatMessage, addToChat, removeFromChat, chatComposer } from './chat.js';
import { auctionBoard } from './view-auction.js';
import { followButton } from './view-social.js';
import { shareBox } from './view-teams.js';

export function statusBadge(status) {
  return h('span', { class: `badge live-${status}` }, t(`live.status.${status}`));
}

export async function list(main, { query, go }) {
  const status = query.get('status') || 'live';
  const tabs = h('div', { class: 'chips', role: 'group', 'aria-label': t('live.filter') },
    ['live', 'scheduled', 'ended'].map((s) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(s === status), onclick: () => go(`#/live?status=${s}`),
    }, t(`live.status.${s}`))));
  const page = await get('/v1/live-sessions', { status, limit: 50 });
  const items = page.data.map((s) => h('li', { class: 'live-card', 'data-session-id': s.id },
    h('a', { href: `#/live/${seg(s.id)}` }, h('span', { class: 'stage-mini', 'aria-hidden': 'true' }, '▶'),
      h('span', { class: 'product-title' }, s.title)),
    h('p', { class: 'muted' }, s.host.display_name, ' · ', statusBadge(s.status), ' ',
      s.status === 'live' ? t('live.viewers', { n: s.viewer_count }) : dateTime(s.scheduled_at || s.started_at || s.ended_at))));
  replace(main, title(t('live.title')), tabs,
    session.has('host') ? h('p', {}, h('a', { href: '#/host', class: 'button secondary small' }, t('host.title'))) : null,
    h('ul', { class: 'live-grid', 'data-testid': 'live-list' }, items.length ? items : h('li', { class: 'empty' }, t('live.none'))));
}

/** The live show page: stream placeholder, pinned deals, chat, hearts, coupon drops and buy-now. */
export async function show(main, { params }) {
  const id = params[0];
  const me = session.account;
  const pins = new Map();
  const products = new Map();
  const drops = new Map();
  const timers = [];
  const pinTimers = [];
  let live = await get(`/v1/live-sessions/${seg(id)}`);
  const isHost = Boolean(me) && (me.id === live.host.account_id || session.has('admin'));
  const auctions = auctionBoard({ sessionId: id, hostId: live.host.account_id, isLive: () => live.status === 'live' });

  const statusEl = h('span', {});
  const viewers = h('span', { 'data-testid': 'viewers' });
  const likes = h('span', { 'data-testid': 'likes' });
  const connection = h('span', { class: 'conn', role: 'status' });
  const pinsEl = h('ul', { class: 'pins', 'data-testid': 'pins', 'aria-live': 'polite' });
  const dropsEl = h('div', { class: 'drops', 'aria-live': 'polite' });
  const chatList = h('ol', { class: 'chat', 'data-testid': 'chat', 'aria-live': 'polite' });
  const feed = h('div', { class: 'feed', 'aria-live': 'polite', 'data-testid': 'feed' });
  const hearts = h('div', { class: 'hearts', 'aria-hidden': 'true' });
  const buyBox = notice();
  const chatBox = notice();

  function renderHead() {
    replace(statusEl, statusBadge(live.status));
    viewers.textContent = t('live.viewers', { n: live.viewer_count });
    likes.textContent = `♥ ${live.like_count}`;
  }

  // MARK: pins
  function pinCard(pin) {
    if (pin.auction) return auctions.card(pin);
    const p = pin.product;
    const flash = pin.flash_price_cents !== null && pin.flash_price_cents !== undefined;
    const remaining = pin.remaining;
    const soldOut = remaining === 0;
    const left = h('span', { class: 'left', 'data-testid': 'units-left' });
    const bar = h('div', { class: 'bar' }, h('div', { class: 'bar-fill' }));
    const clock = h('span', { class: 'clock', role: 'timer', 'aria-live': 'off' }); // inside the polite pins: never read every second
    const buy = h('button', { type: 'button', class: 'primary', 'data-testid': 'buy-now', disabled: soldOut || live.status !== 'live' },
      soldOut ? t('live.sold_out') : t('live.buy_now'));
    const buyIntent = intent();
    if (remaining !== null && remaining !== undefined) {
      left.textContent = soldOut ? t('live.sold_out') : t('live.units_left', { n: remaining });
      const total = pin.flash_quantity || remaining || 1;
      bar.firstChild.style.width = `${Math.max(0, Math.min(100, (remaining / total) * 100))}%`;
    } else {
      bar.hidden = true;
    }
    if (pin.ends_at) {
      const tick = () => {
        const seconds = Math.max(0, Math.round((Date.parse(pin.ends_at) - Date.now()) / 1000));
        replace(clock, clockIcon(), ` ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`);
        if (seconds === 0) { buy.disabled = true; clock.textContent = t('live.deal_over'); }
      };
      tick();
      pinTimers.push(setInterval(tick, 1000));
    }
    buy.addEventListener('click', () => busy(buy, async () => {
      if (!session.signedIn) { window.location.hash = `#/login?next=${encodeURIComponent(`/live/${id}`)}`; return; }
      try {
        const order = await post('/v1/orders', {
          items: [{ product_id: p.id, quantity: 1 }], live_session_id: id, pin_id: pin.id,
        }, { key: buyIntent.key });
        buyIntent.settle();
        buyBox.className = 'notice notice-ok';
        buyBox.setAttribute('role', 'status');
        replace(buyBox, t('live.bought', { title: p.title, total: money(order.total_cents, order.currency) }), ' ',
          h('a', { href: `#/orders/${seg(order.id)}`, 'data-testid': 'live-order-link' }, t('live.see_order')));
        buyBox.hidden = false;
      } catch (error) {
        buyIntent.settle(error);
        showError(buyBox, error);
        if (error.code === 'insufficient_funds') buyBox.append(h('p', {}, h('a', { href: '#/wallet' }, t('wallet.top_up'))));
      }
    }));
    return h('li', { class: `pin${soldOut ? ' sold-out' : ''}`, 'data-pin-id': pin.id }, productImage(p),
      h('div', { class: 'pin-body' },
        h('strong', { class: 'product-title', ...catalogText }, p.title),
        h('div', { class: 'row' }, flash ? [h('span', { class: 'flash-price' }, money(pin.flash_price_cents, pin.currency)),
          h('s', { class: 'muted' }, money(p.price_cents, p.currency))] : h('span', { class: 'price' }, money(p.price_cents, p.currency)),
        flash ? h('span', { class: 'badge flash' }, t('live.flash')) : null),
        bar, h('div', { class: 'row' }, left, clock)),
      buy);
  }

  function renderPins() {
    for (const timer of pinTimers.splice(0)) clearInterval(timer);
    const items = [...pins.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1)).map(pinCard);
    replace(pinsEl, items.length ? items : h('li', { class: 'empty' }, t('live.no_pins')));
  }

  // MARK: chat (chat.js: the same presentation as a community's)
  const moderation = isHost ? {
    remove: async (m) => {
      try { await del(`/v1/live-sessions/${seg(id)}/messages/${seg(m.id)}`); } catch (error) { toast(errorMessage(error), 'error'); }
    },
    mute: async (m) => {
      try {
        await post(`/v1/live-sessions/${seg(id)}/mutes`, { account_id: m.account_id });
        toast(t('live.muted', { name: m.display_name }), 'ok');
      } catch (error) { toast(errorMessage(error), 'error'); }
    },
  } : null;
  function addMessage(m) {
    addToChat(chatList, chatMessage(m, moderation && m.account_id !== me.id ? moderation : null));
  }
  const chatForm = chatComposer({
    box: chatBox,
    allowed: () => {
      if (session.signedIn) return true;
      window.location.hash = `#/login?next=${encodeURIComponent(`/live/${id}`)}`;
      return false;
    },
    send: async (text) => {
      try {
        addMessage(await post(`/v1/live-sessions/${seg(id)}/messages`, { text }));
      } catch (error) {
        // A muted account gets 403 in this session's chat (API.md §12): say so rather than a generic "not allowed".
        throw error.code === 'forbidden' ? { code: 'chat_muted' } : error;
      }
    },
  });

  // MARK: hearts — clicks are counted at once on screen and sent in batches of at most 50 (API.md §9).
  let pendingLikes = 0;
  const heartButton = h('button', { type: 'button', class: 'heart', 'aria-label': t('live.heart'), 'data-testid': 'heart' }, '♥');
  heartButton.addEventListener('click', () => {
    if (!session.signedIn) { toast(t('live.login_to_like')); return; }
    pendingLikes += 1;
    live.like_count += 1;
    renderHead();
    floatHeart();
  });
  timers.push(setInterval(async () => {
    if (pendingLikes === 0) return;
    const count = Math.min(50, pendingLikes);
    pendingLikes -= count;
    try { await post(`/v1/live-sessions/${seg(id)}/likes`, { count }); } catch { /* hearts are best effort */ }
  }, 600));
  function floatHeart() {
    if (hearts.children.length > 30) return;
    const heart = h('span', { class: 'float-heart' }, '♥');
    heart.style.left = `${10 + Math.random() * 70}%`;
    heart.addEventListener('animationend', () => heart.remove());
    hearts.append(heart);
  }

  // MARK: coupon drops
  function renderDrop(drop) {
    const grab = h('button', { type: 'button', class: 'primary', 'data-testid': 'grab-coupon', disabled: drop.remaining === 0 || drop.claimed },
      drop.claimed ? t('live.grabbed') : drop.remaining === 0 ? t('live.all_gone') : t('live.grab'));
    const grabIntent = intent();
    grab.addEventListener('click', () => busy(grab, async () => {
      if (!session.signedIn) { window.location.hash = `#/login?next=${encodeURIComponent(`/live/${id}`)}`; return; }
      try {
        await post(`/v1/live-sessions/${seg(id)}/coupon-drops/${seg(drop.drop_id)}/claims`, {}, { key: grabIntent.key });
        grabIntent.settle();
        drop.claimed = true;
        toast(t('live.grabbed_toast'), 'ok');
      } catch (error) {
        grabIntent.settle(error);
        if (error.code === 'already_claimed') drop.claimed = true;
        if (error.code === 'sold_out') drop.remaining = 0;
        toast(errorMessage(error), 'error');
      }
      renderDrops();
    }));
    return h('div', { class: 'drop', 'data-drop-id': drop.drop_id }, h('strong', { class: 'row' }, ticket('icon-inline'), t('live.drop')),
      h('span', {}, t('live.drop_left', { n: drop.remaining, of: drop.quantity })), grab);
  }
  function renderDrops() { replace(dropsEl, [...drops.values()].map(renderDrop)); }

  function note(text) {
    const item = h('p', { class: 'note' }, text);
    feed.prepend(item);
    while (feed.children.length > 5) feed.lastChild.remove();
    setTimeout(() => item.remove(), 12000);
  }
  async function productTitle(productId) {
    for (const pin of pins.values()) if (pin.product.id === productId) return pin.product.title;
    if (!products.has(productId)) products.set(productId, get(`/v1/products/${seg(productId)}`).then((p) => p.title).catch(() => ''));
    return products.get(productId);
  }

  // MARK: events
  const handlers = {
    'session.started': (d) => { live.status = d.status; renderHead(); renderPins(); },
    'session.ended': (d) => { live.status = d.status; auctions.keepResults(pins); renderHead(); renderPins(); stream?.close(); connection.className = 'conn'; connection.textContent = t('live.ended_note'); },
    'pin.added': (pin) => {
      const known = pins.get(pin.id);
      // A replayed pin.added may be older than the snapshot: keep the lower units-left count.
      if (known && known.remaining !== null && known.remaining !== undefined && pin.remaining !== null && pin.remaining !== undefined) {
        pin.remaining = Math.min(known.remaining, pin.remaining);
      }
      pins.set(pin.id, pin);
      renderPins();
    },
    'pin.updated': (d) => {
      const pin = pins.get(d.pin_id);
      if (!pin) return;
      // Units only go down during a pin: an event buffered before the snapshot must not raise them again.
      pin.remaining = pin.remaining === null || pin.remaining === undefined ? d.remaining : Math.min(pin.remaining, d.remaining);
      renderPins();
    },
    // A closed auction's pin ends right after auction.closed: its card stays with the result.
    'pin.removed': (d) => { if (!auctions.closedPin(d.pin_id)) pins.delete(d.pin_id); renderPins(); },
    'message.created': (m) => addMessage(m),
    'message.deleted': (d) => removeFromChat(chatList, d.message_id),
    'auction.bid': (d) => auctions.bid(d),
    'auction.closed': (d) => auctions.closed(d),
    likes: (d) => { if (d.like_count > live.like_count) floatHeart(); live.like_count = Math.max(live.like_count, d.like_count); renderHead(); },
    viewers: (d) => { live.viewer_count = d.viewer_count; renderHead(); },
    'order.placed': async (d) => note(t('live.someone_bought', { name: d.display_name, n: d.quantity, title: await productTitle(d.product_id) })),
    'coupon_drop.started': (d) => { drops.set(d.drop_id, { ...d, remaining: d.quantity }); renderDrops(); note(t('live.drop_started')); },
    'coupon_drop.claimed': (d) => {
      const drop = drops.get(d.drop_id);
      if (drop) { drop.remaining = Math.min(drop.remaining, d.remaining); renderDrops(); }
    },
  };
  let stream = null;
  let buffered = [];
  const url = `/v1/live-sessions/${seg(id)}/events`;
  function deliver(handle, data) {
    if (buffered) buffered.push([handle, data]); else handle(data);
  }
  function showState(state) {
    if (state === 'live') { connection.textContent = t('live.connected'); connection.className = 'conn ok'; }
    if (state === 'reconnecting') { connection.textContent = t('live.reconnecting'); connection.className = 'conn warn'; }
  }
  // A first connection gets only live events, and so does a reconnection before any event with an id arrived
  // (nothing to send as Last-Event-ID), and every connection with a new ticket. So on every (re)connection the
  // snapshot is read once the stream is open, and the events that arrive meanwhile, replayed or live, are applied
  // on top of it.
  async function synced() {
    if (!buffered) buffered = [];
    try {
      live = await get(`/v1/live-sessions/${seg(id)}`);
      pins.clear();
      for (const pin of live.pins) pins.set(pin.id, pin);
    } catch { /* keep the first snapshot */ }
    const pending = buffered;
    buffered = null;
    renderHead();
    renderPins();
    for (const [handle, data] of pending) handle(data);
  }
  function anonymous() {
    const source = new EventSource(url);
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        deliver(handle, data);
      });
    }
    source.addEventListener('open', () => { showState('live'); synced(); });
    source.addEventListener('error', () => { if (source.readyState !== EventSource.CLOSED) showState('reconnecting'); });
    return { close: () => source.close() };
  }
  if (live.status !== 'ended') {
    stream = !session.signedIn ? anonymous() : ticketStream(url, {
      events: Object.keys(handlers),
      onEvent: (name, data) => deliver(handlers[name], data),
      onOpen: synced,
      // A server without tickets: watch anonymously instead.
      onState: (state) => { if (state === 'unavailable') stream = anonymous(); else showState(state); },
    });
  } else {
    buffered = null;
  }
  for (const pin of live.pins) pins.set(pin.id, pin);
  renderHead();
  renderPins();

  const stage = h('div', { class: 'stage', role: 'img', 'aria-label': t('live.stream') },
    h('span', { class: 'stage-label' }, live.status === 'live' ? '● LIVE' : t(`live.status.${live.status}`)),
    h('span', { class: 'stage-title' }, live.title), hearts,
    live.stream_url && /^https?:\/\//.test(live.stream_url) ? h('a', { href: live.stream_url, class: 'stage-link', rel: 'noopener noreferrer', target: '_blank' }, t('live.open_stream')) : null,
    feed);
  replace(main, 
    h('p', {}, h('a', { href: '#/live' }, '← ', t('live.title')), isHost ? [' · ', h('a', { href: `#/host/${seg(id)}` }, t('host.controls'))] : null),
    title(live.title),
    h('p', { class: 'muted' }, h('a', { href: `#/hosts/${seg(live.host.account_id)}`, 'data-testid': 'host-link' }, live.host.display_name), ' · ',
      statusEl, ' · ', viewers, ' · ', likes, ' ', connection, ' ', followButton(live.host.account_id, { back: `/live/${id}` })),
    live.status === 'ended' ? h('p', {}, h('a', { href: `#/replay/${seg(id)}`, class: 'button secondary small', 'data-testid': 'replay-link' }, t('replay.watch'))) : null,
    // The deals (and coupon drops) come first: on a phone they are what a viewer acts on, above the video box; from
    // 760 px the stage takes the left column (app.css).
    h('div', { class: 'live-layout' },
      h('section', { class: 'live-side', 'aria-label': t('live.deals') }, h('h2', {}, t('live.deals')), dropsEl, buyBox, pinsEl),
      h('section', { class: 'live-main' }, stage, h('div', { class: 'row' }, heartButton),
        live.description ? h('p', {}, live.description) : null,
        session.signedIn && live.status !== 'ended' ? shareBox('live_session', id, live.title) : null),
      h('section', { class: 'live-chat', 'aria-label': t('live.chat') }, h('h2', {}, t('live.chat')), chatList, chatBox, chatForm)));
  return () => {
    stream?.close();
    auctions.close();
    for (const timer of [...timers, ...pinTimers]) clearInterval(timer);
  };
}

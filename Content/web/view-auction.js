// Live auctions and replays (API.md §22): the auction card of the live page (current bid, leader, a countdown that
// jumps when a late bid extends the auction, a one-tap bid and a maximum bid), the host's auction fields in the pin
// form with a summary per auction pin, and the replay page with its chapters.
import { get, post, seg, session, intent, unavailable } from './api.js';
import { t, errorMessage } from './i18n.js';
import { h, replace, money, notice, showError, busy, title, dateTime, field, parseCents, productImage, catalogText } from './ui.js';
import { secondsLeft, clockText } from './countdown.js';

function firstName(name) {
  return String(name || '').trim().split(/\s+/)[0];
}

/** The smallest amount this account may bid now (API.md §22): the starting bid, the current bid plus the increment,
 * or the current bid for the leader's raise. */
function minimumBid(a, leading) {
  if (a.current_bid_cents === null || a.current_bid_cents === undefined) return a.starting_bid_cents;
  return leading ? a.current_bid_cents : a.current_bid_cents + a.increment_cents;
}

/**
 * The auctions of one live page. Cards are kept per pin and changed in place by the stream's `auction.bid` and
 * `auction.closed`, so a bidder typing a maximum keeps the field; one timer runs every countdown.
 * @param {{sessionId: string, hostId: string, isLive: () => boolean}} options
 */
export function auctionBoard({ sessionId, hostId, isLive }) {
  const cards = new Map();
  const me = session.account;
  // The host may not bid on its own auctions (403): its card shows the auction without the bid buttons.
  const hosting = Boolean(me) && me.id === hostId;

  function card(pin) {
    let entry = cards.get(pin.id);
    if (!entry) {
      entry = makeCard(pin);
      cards.set(pin.id, entry);
    } else if (entry.snapshot !== pin.auction && ((pin.auction.bids ?? 0) >= (entry.a.bids ?? 0) || pin.auction.status !== 'open')) {
      // A newer snapshot (read again after a reconnection): take it unless it is older than what the stream said.
      entry.snapshot = pin.auction;
      const endsBefore = entry.a.ends_at;
      Object.assign(entry.a, pin.auction);
      if (me && pin.auction.leader) entry.leading = pin.auction.leader.account_id === me.id;
      entry.update(endsBefore);
    } else {
      entry.update(null); // the show started or ended: the buttons follow
    }
    return entry.element;
  }

  function makeCard(pin) {
    const a = { ...pin.auction };
    const p = pin.product;
    const entry = { a, snapshot: pin.auction, leading: Boolean(me) && a.leader?.account_id === me.id, myMax: null };
    const current = h('strong', { class: 'flash-price', 'data-testid': 'current-bid' });
    const currentLabel = h('small', { class: 'muted' });
    const leader = h('span', { 'data-testid': 'leader' });
    const bids = h('small', { class: 'muted', 'data-testid': 'bids' });
    // Inside the live page's polite list of deals: never read out every second.
    const clock = h('span', { class: 'clock auction-clock', 'data-testid': 'auction-clock', role: 'timer', 'aria-live': 'off' });
    const jump = h('span', { class: 'jump-note', 'aria-live': 'polite', 'data-testid': 'extended' });
    const standing = h('p', { class: 'standing', 'aria-live': 'polite', 'data-testid': 'standing' });
    const box = notice();
    const bidButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'bid' });
    const maxInput = h('input', { name: 'max_cents', inputmode: 'decimal', autocomplete: 'off', 'data-testid': 'max-input' });
    const maxSubmit = h('button', { type: 'submit', class: 'secondary', 'data-testid': 'max-bid' }, t('auction.set_max'));
    const maxForm = h('form', { class: 'max-form', novalidate: true }, field(t('auction.your_max'), maxInput, t('auction.max_hint')), maxSubmit);
    const maxDetails = h('details', { class: 'max-bid' }, h('summary', { 'data-testid': 'max-bid-open' }, t('auction.max_bid')), maxForm);
    const actions = h('div', { class: 'auction-actions' }, bidButton, maxDetails, box);
    const element = h('li', { class: 'pin auction-pin', 'data-pin-id': pin.id, 'data-testid': 'auction' }, productImage(p),
      h('div', { class: 'pin-body' },
        h('strong', { class: 'product-title', ...catalogText }, p.title),
        h('div', { class: 'row' }, h('span', { class: 'badge auction-badge' }, t('auction.badge')), currentLabel, current),
        h('div', { class: 'row' }, leader, bids),
        h('div', { class: 'row' }, clock, jump), standing),
      actions);
    const keyed = intent();

    function update(endsBefore) {
      const open = a.status === 'open';
      const has = a.current_bid_cents !== null && a.current_bid_cents !== undefined;
      currentLabel.textContent = has ? t('auction.current') : t('auction.starting');
      current.textContent = money(has ? a.current_bid_cents : a.starting_bid_cents, pin.currency);
      const leaderName = a.leader?.display_name ?? a.leader_display_name;
      leader.textContent = leaderName ? t('auction.leader', { name: entry.leading ? t('auction.you') : leaderName }) : t('auction.no_bids');
      bids.textContent = t('auction.bids', { n: a.bids ?? 0 });
      element.classList.toggle('leading', entry.leading && open);
      element.classList.toggle('sold-out', !open);
      if (endsBefore && Date.parse(a.ends_at) > Date.parse(endsBefore) && open) {
        // Soft close: a late bid moved the end (API.md §22). The countdown jumps; say so.
        clock.classList.remove('jumped');
        void clock.offsetWidth; // restart the animation
        clock.classList.add('jumped');
        jump.textContent = t('auction.extended');
        setTimeout(() => { if (jump.textContent === t('auction.extended')) jump.textContent = ''; }, 4000);
      }
      if (open) {
        const min = minimumBid(a, entry.leading);
        bidButton.textContent = t('auction.bid_now', { amount: money(min, pin.currency) });
        bidButton.hidden = entry.leading;
        bidButton.disabled = !isLive();
        maxSubmit.disabled = !isLive();
        maxInput.placeholder = money(min + a.increment_cents * 4, pin.currency).replace(/[^\d.,]/g, '');
        standing.className = `standing${entry.leading ? ' ok' : ''}`;
        standing.textContent = entry.leading
          ? (entry.myMax ? t('auction.you_lead_max', { max: money(entry.myMax, pin.currency) }) : t('auction.you_lead'))
          : entry.myMax ? t('auction.outbid') : '';
        actions.hidden = hosting;
      } else {
        actions.hidden = true;
        const winning = a.winning_bid_cents ?? a.current_bid_cents;
        if (a.status === 'sold') {
          standing.className = `standing${entry.leading ? ' ok' : ''}`;
          replace(standing, entry.leading ? t('auction.won', { amount: money(winning, pin.currency) })
            : t('auction.sold', { amount: money(winning, pin.currency), name: leaderName || '' }),
          entry.leading && a.order_id ? [' ', h('a', { href: `#/orders/${seg(a.order_id)}`, 'data-testid': 'auction-order' }, t('live.see_order'))] : null);
        } else {
          standing.className = 'standing';
          standing.textContent = t('auction.unsold');
        }
      }
      tick();
    }

    function tick() {
      if (a.status !== 'open') { clock.textContent = t('auction.closed'); return; }
      const left = secondsLeft(a.ends_at);
      clock.textContent = left > 0 ? t('auction.ends_in', { time: clockText(left) }) : t('auction.closing');
      clock.dataset.seconds = String(left);
      clock.classList.toggle('final', left > 0 && left <= 10);
    }

    async function bid(amount, maximum) {
      if (!session.signedIn) { window.location.hash = `#/login?next=${encodeURIComponent(`/live/${sessionId}`)}`; return; }
      const body = { amount_cents: amount };
      if (maximum !== undefined) body.max_cents = maximum;
      const endsBefore = a.ends_at;
      try {
        const result = await post(`/v1/live-sessions/${seg(sessionId)}/pins/${seg(pin.id)}/bids`, body, { key: keyed.key });
        keyed.settle();
        box.hidden = true;
        entry.leading = result.leading;
        entry.myMax = result.max_cents ?? maximum ?? amount;
        if (result.current_bid_cents !== undefined) a.current_bid_cents = Math.max(a.current_bid_cents ?? 0, result.current_bid_cents);
        if (result.ends_at && Date.parse(result.ends_at) > Date.parse(a.ends_at)) a.ends_at = result.ends_at;
        if (result.leading && me) a.leader = { account_id: me.id, display_name: firstName(me.display_name) };
        maxInput.value = '';
        if (result.leading) maxDetails.open = false;
        update(endsBefore);
      } catch (error) {
        keyed.settle(error);
        if (error.code === 'bid_too_low' && Number.isInteger(error.minimumCents)) {
          showError(box, { code: 'bid_too_low', detail: t('auction.at_least', { amount: money(error.minimumCents, pin.currency) }) });
        } else {
          showError(box, error.code === 'bid_too_low' ? { code: 'bid_too_low_soft', detail: t('auction.too_low') } : error);
        }
        if (error.code === 'insufficient_funds') box.append(h('p', {}, h('a', { href: '#/wallet' }, t('wallet.top_up'))));
      }
    }

    bidButton.addEventListener('click', () => busy(bidButton, () => bid(minimumBid(a, entry.leading))));
    maxForm.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(maxSubmit, async () => {
        const maximum = parseCents(maxInput.value);
        const amount = minimumBid(a, entry.leading);
        if (maximum === null || maximum < amount) {
          showError(box, { code: 'invalid_request', errors: [{ field: 'max_cents', message: t('auction.max_at_least', { amount: money(amount, pin.currency) }) }] }, maxForm);
          maxInput.focus();
          return;
        }
        await bid(amount, maximum);
      });
    });
    Object.assign(entry, { element, update, tick });
    update(null);
    return entry;
  }

  /** `auction.bid`: `{pin_id, current_bid_cents, leader_display_name, ends_at, bids}`. */
  function bidEvent(d) {
    const entry = cards.get(d.pin_id);
    if (!entry || entry.a.status !== 'open') return;
    if (d.bids !== undefined && entry.a.bids !== undefined && d.bids < entry.a.bids) return; // older than what is shown
    const endsBefore = entry.a.ends_at;
    entry.a.current_bid_cents = d.current_bid_cents;
    if (Date.parse(d.ends_at) >= Date.parse(entry.a.ends_at)) entry.a.ends_at = d.ends_at;
    if (d.bids !== undefined) entry.a.bids = d.bids;
    const mine = me && firstName(me.display_name) === d.leader_display_name;
    // The stream names the leader by first name only: someone else's name means this account lost the lead, and a
    // current bid above its maximum too.
    if (!mine || (entry.myMax !== null && d.current_bid_cents > entry.myMax)) entry.leading = false;
    entry.a.leader = entry.leading && me ? { account_id: me.id, display_name: d.leader_display_name } : { account_id: null, display_name: d.leader_display_name };
    entry.update(endsBefore);
  }

  /** `auction.closed`: `{pin_id, status, winning_bid_cents, order_id}`. */
  function closedEvent(d) {
    const entry = cards.get(d.pin_id);
    if (!entry) return;
    Object.assign(entry.a, { status: d.status, winning_bid_cents: d.winning_bid_cents, order_id: d.order_id });
    entry.update(null);
  }

  /** Whether `pinId` is an auction that has closed (its card stays on the page with the result). */
  function closedPin(pinId) {
    const entry = cards.get(pinId);
    return Boolean(entry) && entry.a.status !== 'open';
  }

  const timer = setInterval(() => { for (const entry of cards.values()) entry.tick(); }, 1000);
  return {
    card,
    bid: bidEvent,
    closed: closedEvent,
    closedPin,
    /** At the end of the show: every pin leaves `pins` but the closed auctions' results. */
    keepResults(pins) { for (const pinId of [...pins.keys()]) if (!closedPin(pinId)) pins.delete(pinId); },
    close() { clearInterval(timer); cards.clear(); },
  };
}

// MARK: - the host's auction fields and summaries

/**
 * "Sell as an auction" for the host's pin form: starting bid, increment and duration. `flashFields` is hidden while
 * it is on (an auction has no flash price, units or pin duration).
 * @returns {{element: Element, active: () => boolean, terms: () => object|{error: object}}}
 */
export function auctionFields(flashFields) {
  const toggle = h('input', { type: 'checkbox', name: 'auction', 'data-testid': 'pin-auction' });
  const start = h('input', { name: 'auction.starting_bid_cents', inputmode: 'decimal', placeholder: '5,00', 'data-testid': 'auction-start' });
  const step = h('input', { name: 'auction.increment_cents', inputmode: 'decimal', value: '1,00', 'data-testid': 'auction-step' });
  const duration = h('input', { name: 'auction.duration_seconds', type: 'number', min: 10, max: 600, value: '60', 'data-testid': 'auction-duration' });
  const fields = h('div', { class: 'grid3', hidden: true },
    field(t('auction.starting_bid'), start), field(t('auction.increment'), step), field(t('auction.duration'), duration, t('auction.duration_hint')));
  toggle.addEventListener('change', () => {
    fields.hidden = !toggle.checked;
    if (flashFields) flashFields.hidden = toggle.checked;
  });
  const element = h('div', { class: 'auction-fields' },
    h('label', { class: 'check' }, toggle, ' ', t('auction.sell_as')), h('p', { class: 'hint' }, t('auction.host_hint')), fields);
  function terms() {
    const starting = parseCents(start.value);
    const increment = parseCents(step.value);
    const seconds = Number(duration.value);
    const wrong = (name, message) => ({ error: { code: 'invalid_request', errors: [{ field: name, message }] } });
    if (starting === null || starting < 1) return wrong('auction.starting_bid_cents', t('common.amount_format'));
    if (increment === null || increment < 1) return wrong('auction.increment_cents', t('common.amount_format'));
    if (!Number.isInteger(seconds) || seconds < 10 || seconds > 600) return wrong('auction.duration_seconds', t('auction.duration_hint'));
    return { starting_bid_cents: starting, increment_cents: increment, duration_seconds: seconds };
  }
  return { element, active: () => toggle.checked, terms };
}

/** One line on the host's pin list about an auction pin, its countdown running while it is on the page. */
export function auctionSummary(pin) {
  const a = pin.auction;
  const amount = money(a.current_bid_cents ?? a.starting_bid_cents, pin.currency);
  const clock = h('span', { class: 'clock' });
  let text;
  if (a.status === 'sold') text = t('auction.host_sold', { amount, name: a.leader?.display_name || '' });
  else if (a.status === 'unsold') text = t('auction.unsold');
  else if (a.current_bid_cents === null || a.current_bid_cents === undefined) text = t('auction.host_open_none', { amount });
  else text = t('auction.host_open', { amount, name: a.leader?.display_name || '', n: a.bids });
  if (a.status === 'open') {
    const tick = () => { clock.textContent = t('auction.ends_in', { time: clockText(secondsLeft(a.ends_at)) }); };
    tick();
    const timer = setInterval(() => { if (clock.isConnected) tick(); else clearInterval(timer); }, 1000);
  }
  return h('span', { class: 'auction-summary', 'data-testid': 'host-auction' }, h('span', { class: 'badge auction-badge' }, t('auction.badge')), ' ', text,
    a.status === 'open' ? [' · ', clock] : null);
}

// MARK: - replay

function offset(seconds) {
  return clockText(Math.max(0, Math.round(seconds)));
}

export async function replay(main, { params }) {
  const id = params[0];
  const live = await get(`/v1/live-sessions/${seg(id)}`);
  const back = h('p', {}, h('a', { href: '#/live?status=ended' }, '← ', t('live.title')));
  let r;
  try {
    r = await get(`/v1/live-sessions/${seg(id)}/replay`);
  } catch (error) {
    if (unavailable(error)) {
      replace(main, back, title(live.title), h('p', { class: 'muted', 'data-testid': 'unavailable' }, t('common.unavailable')));
      return undefined;
    }
    if (error.code === 'invalid_state') {
      replace(main, back, title(live.title), h('div', { class: 'notice', role: 'status', 'data-testid': 'replay-not-yet' }, t('replay.not_ended')),
        h('p', {}, h('a', { href: `#/live/${seg(id)}`, class: 'button secondary' }, t('host.watch'))));
      return undefined;
    }
    throw error;
  }
  const length = Math.max(1, (Date.parse(r.ended_at) - Date.parse(r.started_at)) / 1000);
  const totals = r.chapters.reduce((sum, c) => ({ orders: sum.orders + c.orders, units: sum.units + c.units_sold, gmv: sum.gmv + c.gmv_cents }),
    { orders: 0, units: 0, gmv: 0 });
  const items = r.chapters.map((c, index) => h('li', { class: 'chapter', 'data-pin-id': c.pin_id, id: `chapter-${index}`, tabindex: '-1' },
    h('span', { class: 'chapter-time', 'data-testid': 'chapter-time' }, `${offset(c.start_offset_seconds)}–${offset(c.end_offset_seconds)}`),
    h('a', { href: `#/product/${seg(c.product.id)}`, class: 'chapter-title', ...catalogText }, c.product.title),
    h('span', { class: 'chapter-stats', 'data-testid': 'chapter-stats' },
      t('replay.orders', { n: c.orders }), ' · ', t('replay.units', { n: c.units_sold }), ' · ', money(c.gmv_cents, r.currency))));
  const bar = h('div', { class: 'timeline-bar', role: 'group', 'aria-label': t('replay.timeline') }, r.chapters.map((c, index) => {
    const jump = h('button', { type: 'button', class: 'segment', 'aria-label': `${offset(c.start_offset_seconds)} ${c.product.title}` });
    jump.style.left = `${Math.min(100, (c.start_offset_seconds / length) * 100)}%`;
    jump.style.width = `${Math.max(1.5, ((c.end_offset_seconds - c.start_offset_seconds) / length) * 100)}%`;
    jump.addEventListener('click', () => {
      const target = document.getElementById(`chapter-${index}`);
      target?.scrollIntoView({ block: 'center' });
      target?.focus({ preventScroll: true });
    });
    return jump;
  }));
  replace(main, back, title(t('replay.title', { title: live.title })),
    h('p', { class: 'muted' }, live.host.display_name, ' · ', dateTime(r.started_at), ' – ', dateTime(r.ended_at), ' · ', offset(length)),
    h('dl', { class: 'stats replay-totals', 'data-testid': 'replay-totals' },
      h('div', {}, h('dt', {}, t('replay.chapters')), h('dd', {}, String(r.chapters.length))),
      h('div', {}, h('dt', {}, t('host.stats.orders')), h('dd', {}, String(totals.orders))),
      h('div', {}, h('dt', {}, t('host.stats.units_sold')), h('dd', {}, String(totals.units))),
      h('div', {}, h('dt', {}, t('host.stats.gmv')), h('dd', {}, money(totals.gmv, r.currency)))),
    r.chapters.length ? bar : null,
    h('h2', {}, t('replay.chapters')),
    h('ol', { class: 'chapters', 'data-testid': 'chapters' }, items.length ? items : h('li', { class: 'empty' }, t('replay.none'))),
    h('p', { class: 'hint' }, t('replay.net_hint')));
  return undefined;
}

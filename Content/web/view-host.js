// The host's page (API.md §9): create, start and end a show, pin products with a flash deal, drop coupons, and
// watch the live statistics, refreshed every few seconds while the page is open.
import { get, post, del, seg, session } from './api.js';
import { t, errorMessage } from './i18n.js';
import { h, replace, money, notice, showError, showOk, busy, title, dateTime, field, parseCents, percent, debounce, discountText, catalogText } from './ui.js';
import { statusBadge } from './view-live.js';
import { auctionFields, auctionSummary } from './view-auction.js';

export async function list(main, { go }) {
  if (!session.has('host')) {
    replace(main, title(t('host.title')), h('div', { class: 'notice notice-error', role: 'alert' }, t('host.need_role')));
    return;
  }
  const me = session.account;
  const titleInput = h('input', { name: 'title', maxlength: 200, required: true, 'data-testid': 'session-title' });
  const description = h('textarea', { name: 'description', rows: 2 });
  const submit = h('button', { type: 'submit', 'data-testid': 'create-session' }, t('host.create'));
  const box = notice();
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('host.new')),
    field(t('field.title'), titleInput), field(t('field.description'), description), box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      try {
        const body = { title: titleInput.value.trim() };
        if (description.value.trim()) body.description = description.value.trim();
        const created = await post('/v1/live-sessions', body);
        go(`#/host/${seg(created.id)}`);
      } catch (error) { showError(box, error, form); }
    });
  });
  const mine = [];
  for (const status of ['live', 'scheduled', 'ended']) {
    const page = await get('/v1/live-sessions', { status, limit: 100 });
    mine.push(...page.data.filter((s) => s.host.account_id === me.id || session.has('admin')));
  }
  replace(main, title(t('host.title')),
    h('ul', { class: 'rows', 'data-testid': 'my-sessions' }, mine.length ? mine.map((s) => h('li', { class: 'row-item', 'data-session-id': s.id },
      h('a', { href: `#/host/${seg(s.id)}` }, s.title), statusBadge(s.status),
      h('small', { class: 'muted' }, dateTime(s.started_at || s.scheduled_at)))) : h('li', { class: 'empty' }, t('host.none'))),
    form);
}

export async function control(main, { params }) {
  const id = params[0];
  let live = await get(`/v1/live-sessions/${seg(id)}`);
  // Only the show's own host (or an admin) may start, end, pin and drop (API.md §9): anyone else sees the show's
  // status and a way to watch it, never controls the API would refuse.
  const me = session.account;
  if (!me || (live.host.account_id !== me.id && !session.has('admin'))) {
    replace(main, h('p', {}, h('a', { href: '#/host' }, '← ', t('host.title'))), title(live.title),
      h('p', {}, statusBadge(live.status), ' ', h('span', { class: 'muted' }, live.host.display_name)),
      h('div', { class: 'notice', role: 'status', 'data-testid': 'not-your-show' }, t('host.not_yours', { name: live.host.display_name })),
      h('p', {}, h('a', { href: `#/live/${seg(id)}`, class: 'button secondary' }, t('host.watch'))));
    return undefined;
  }
  const box = notice();
  const head = h('div', {});
  const pinsEl = h('ul', { class: 'rows', 'data-testid': 'host-pins' });
  const statsEl = h('dl', { class: 'stats', 'data-testid': 'stats' });
  const start = h('button', { type: 'button', 'data-testid': 'start-session' }, t('host.start'));
  const end = h('button', { type: 'button', class: 'danger', 'data-testid': 'end-session' }, t('host.end'));

  function render() {
    replace(head, h('p', {}, statusBadge(live.status), ' ', t('live.viewers', { n: live.viewer_count }), ' · ♥ ', String(live.like_count), ' · ',
      h('a', { href: `#/live/${seg(id)}` }, t('host.open_viewer')),
      live.status === 'ended' ? [' · ', h('a', { href: `#/replay/${seg(id)}`, 'data-testid': 'replay-link' }, t('replay.watch'))] : null),
    h('div', { class: 'row' }, live.status === 'scheduled' ? start : null, live.status === 'live' ? end : null));
    replace(pinsEl, live.pins.length ? live.pins.map((pin) => {
      const unpin = h('button', { type: 'button', class: 'link-button', 'data-testid': 'unpin' }, t('host.unpin'));
      unpin.addEventListener('click', () => busy(unpin, async () => {
        try { await del(`/v1/live-sessions/${seg(id)}/pins/${seg(pin.id)}`); await refresh(); } catch (error) { showError(box, error); }
      }));
      // An open auction cannot be unpinned (API.md §24); it closes by itself.
      if (pin.auction) return h('li', { class: 'row-item', 'data-pin-id': pin.id }, h('strong', catalogText, pin.product.title), auctionSummary(pin),
        pin.auction.status === 'open' ? null : unpin);
      return h('li', { class: 'row-item', 'data-pin-id': pin.id }, h('strong', catalogText, pin.product.title),
        pin.flash_price_cents !== null && pin.flash_price_cents !== undefined ? h('span', { class: 'flash-price' }, money(pin.flash_price_cents, pin.currency)) : h('span', {}, money(pin.product.price_cents, pin.product.currency)),
        pin.remaining !== null && pin.remaining !== undefined ? h('span', { 'data-testid': 'host-units-left' }, t('live.units_left', { n: pin.remaining })) : null,
        pin.ends_at ? h('small', { class: 'muted' }, t('host.until', { time: dateTime(pin.ends_at) })) : null, unpin);
    }) : h('li', { class: 'empty' }, t('live.no_pins')));
  }

  let shown = '';
  async function refresh() {
    live = await get(`/v1/live-sessions/${seg(id)}`);
    // Re-render only what changed, so a keyboard user's focus is not thrown away every few seconds.
    const snapshot = JSON.stringify([live.status, live.viewer_count, live.like_count, live.pins]);
    if (snapshot !== shown) { shown = snapshot; render(); }
    try {
      const s = await get(`/v1/live-sessions/${seg(id)}/stats`);
      replace(statsEl, [
        ['host.stats.peak_viewers', s.peak_viewers], ['host.stats.unique_viewers', s.unique_viewers],
        ['host.stats.messages', s.messages], ['host.stats.likes', s.likes], ['host.stats.orders', s.orders],
        ['host.stats.units_sold', s.units_sold], ['host.stats.gmv', money(s.gmv_cents, s.currency)],
        ['host.stats.conversion', percent(s.conversion_rate)],
      ].map(([key, value]) => h('div', {}, h('dt', {}, t(key)), h('dd', {}, String(value)))));
    } catch (error) {
      replace(statsEl, h('p', { class: 'muted' }, errorMessage(error)));
    }
  }

  for (const [button, action] of [[start, 'start'], [end, 'end']]) {
    button.addEventListener('click', () => busy(button, async () => {
      if (action === 'end' && !window.confirm(t('host.end_confirm'))) return;
      try {
        live = await post(`/v1/live-sessions/${seg(id)}/${action}`);
        showOk(box, t(`host.${action}ed`));
        await refresh();
      } catch (error) { showError(box, error); }
    }));
  }

  // Pin form: the product list comes from the catalog; a flash price and quantity make it a flash deal. Enter in
  // the search field searches (it must never submit the form: that pinned the first product live), and nothing is
  // pinned until the host has chosen a product.
  const productSelect = h('select', { name: 'product_id', required: true, 'data-testid': 'pin-product' });
  const productSearch = h('input', { type: 'search', 'aria-label': t('catalog.search'), placeholder: t('catalog.search'), 'data-testid': 'pin-search' });
  const found = h('span', { role: 'status' });
  const flashPrice = h('input', { name: 'flash_price_cents', inputmode: 'decimal', placeholder: '9,99', 'data-testid': 'pin-price' });
  const flashQty = h('input', { name: 'flash_quantity', type: 'number', min: 1, 'data-testid': 'pin-quantity' });
  const duration = h('input', { name: 'duration_seconds', type: 'number', min: 10, placeholder: '300', 'data-testid': 'pin-duration' });
  const pinSubmit = h('button', { type: 'submit', 'data-testid': 'pin-submit' }, t('host.pin'));
  const pinBox = notice();
  let searched = null;
  async function loadProducts(q) {
    if (q === searched) return;
    searched = q;
    const page = await get('/v1/products', { q, limit: 100 });
    if (q !== searched) return; // a newer search is under way
    const chosen = productSelect.value;
    replace(productSelect, h('option', { value: '' }, t('host.choose_product')),
      page.data.map((p) => h('option', { value: p.id, selected: p.id === chosen },
        `${p.title} — ${money(p.price_cents, p.currency)} (${t('product.stock_short', { n: p.stock })})`)));
    found.textContent = t('host.found', { n: page.data.length });
    productSelect.dataset.query = q; // which search the list shows (tests wait for it)
  }
  const search = () => loadProducts(productSearch.value.trim()).catch((e) => { searched = null; showError(pinBox, e); });
  productSearch.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    search();
  });
  productSearch.addEventListener('input', debounce(search, 300));
  const flashFields = h('div', { class: 'grid3' }, field(t('field.flash_price'), flashPrice), field(t('field.flash_quantity'), flashQty),
    field(t('field.duration'), duration));
  const auction = auctionFields(flashFields);
  const pinForm = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('host.pin_title')),
    field(t('catalog.search'), productSearch, found), field(t('field.product'), productSelect),
    flashFields, auction.element, pinBox, pinSubmit);
  pinForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(pinSubmit, async () => {
      if (!productSelect.value) {
        showError(pinBox, { code: 'invalid_request', errors: [{ field: 'product_id', message: t('host.choose_product') }] }, pinForm);
        productSelect.focus();
        return;
      }
      const body = { product_id: productSelect.value };
      if (auction.active()) {
        const terms = auction.terms();
        if (terms.error) { showError(pinBox, terms.error, pinForm); return; }
        body.auction = terms;
      } else if (flashPrice.value.trim()) {
        const cents = parseCents(flashPrice.value);
        if (cents === null) { showError(pinBox, { code: 'invalid_request', errors: [{ field: 'flash_price_cents', message: t('common.amount_format') }] }, pinForm); return; }
        body.flash_price_cents = cents;
      }
      if (flashQty.value && !body.auction) body.flash_quantity = Number(flashQty.value);
      if (duration.value && !body.auction) body.duration_seconds = Number(duration.value);
      try {
        await post(`/v1/live-sessions/${seg(id)}/pins`, body);
        showOk(pinBox, t('host.pinned'));
        await refresh();
      } catch (error) { showError(pinBox, error, pinForm); }
    });
  });

  // Coupon drops need a campaign: hosts and merchants pick one by name (API.md §14 lets hosts read campaigns); where
  // the list cannot be read, the host types the id their merchant gave them.
  const campaignPicker = h('select', { name: 'campaign_id', 'data-testid': 'drop-campaign' });
  const campaignInput = h('input', { name: 'campaign_id', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'drop-campaign' });
  const campaignSlot = h('div', {}, field(t('field.campaign'), campaignInput, t('host.campaign_hint')));
  let campaign = campaignInput;
  const dropQty = h('input', { name: 'quantity', type: 'number', min: 1, value: '10', 'data-testid': 'drop-quantity' });
  const dropSubmit = h('button', { type: 'submit', 'data-testid': 'drop-submit' }, t('host.drop'));
  const dropBox = notice();
  const dropForm = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('host.drop_title')),
    campaignSlot, field(t('field.quantity'), dropQty), dropBox, dropSubmit);
  async function loadCampaigns() {
    let page;
    try { page = await get('/v1/campaigns', { limit: 100 }); } catch { return; /* keep the id field */ }
    const active = page.data.filter((c) => c.status === 'active');
    const chosen = campaign.value;
    replace(campaignPicker, h('option', { value: '' }, active.length ? t('host.choose_campaign') : t('host.no_campaigns')),
      active.map((c) => h('option', { value: c.id, selected: c.id === chosen },
        `${c.name} — ${discountText(c)} · ${t('host.campaign_left', { n: Math.max(0, c.max_coupons - c.stats.issued), of: c.max_coupons })}`)));
    if (campaign !== campaignPicker) {
      campaign = campaignPicker;
      replace(campaignSlot, field(t('field.campaign'), campaignPicker));
    }
  }
  dropForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(dropSubmit, async () => {
      if (!campaign.value.trim()) {
        showError(dropBox, { code: 'invalid_request', errors: [{ field: 'campaign_id', message: t('host.choose_campaign') }] }, dropForm);
        campaign.focus();
        return;
      }
      try {
        const drop = await post(`/v1/live-sessions/${seg(id)}/coupon-drops`, { campaign_id: campaign.value.trim(), quantity: Number(dropQty.value) });
        showOk(dropBox, t('host.dropped', { n: drop.quantity }));
        await loadCampaigns(); // the budget left went down
      } catch (error) { showError(dropBox, error, dropForm); }
    });
  });

  replace(main, h('p', {}, h('a', { href: '#/host' }, '← ', t('host.title'))), title(live.title), head, box,
    h('div', { class: 'host-layout' },
      h('section', {}, h('h2', {}, t('host.pins')), pinsEl, pinForm, dropForm),
      h('section', { 'aria-label': t('host.stats.title') }, h('h2', {}, t('host.stats.title')), statsEl)));
  render();
  await Promise.all([refresh(), search(), loadCampaigns()]);
  const timer = setInterval(() => { refresh().catch(() => {}); }, 4000);
  return () => clearInterval(timer);
}

// Wallet with sandbox top-ups (API.md §5), orders with refunds (§6) and their delivery (§15), coupons and code
// claims (§7).
import { get, post, seg, intent, session } from './api.js';
import { t } from './i18n.js';
import { h, replace, money, notice, showError, showOk, busy, title, dateTime, parseCents, field, discountText, couponName, catalogText, pagedList } from './ui.js';
import { statusBadge, fulfillmentBadge, deliverySection, loadShipments, refundHint, returnDeadline } from './view-delivery.js';

export async function wallet(main) {
  const balance = h('p', { class: 'balance', 'data-testid': 'balance' });
  const amount = h('input', { name: 'amount_cents', inputmode: 'decimal', autocomplete: 'off', placeholder: t('wallet.placeholder'), 'data-testid': 'topup-amount' });
  const submit = h('button', { type: 'submit', 'data-testid': 'topup-submit' }, t('wallet.top_up'));
  const box = notice();
  const topUp = intent();
  const txs = pagedList('/v1/wallet/transactions', {}, (tx) => h('li', { class: 'row-item' },
    h('span', {}, t(`tx.${tx.kind}`), h('small', { class: 'muted' }, ' ', dateTime(tx.created_at))),
    h('strong', { class: tx.amount_cents < 0 ? 'minus' : 'plus' }, money(tx.amount_cents, tx.currency)),
    h('small', { class: 'muted' }, t('wallet.after', { amount: money(tx.balance_after_cents, tx.currency) }))), t('wallet.no_transactions'), 'transactions');

  async function refresh() {
    const w = await get('/v1/wallet');
    balance.textContent = money(w.balance_cents, w.currency);
    await txs.load(true);
  }
  const quick = [1000, 2500, 5000].map((cents) => h('button', {
    type: 'button', class: 'chip', onclick: () => { amount.value = (cents / 100).toFixed(2); amount.focus(); },
  }, money(cents)));
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, t('wallet.top_up')), h('div', { class: 'chips' }, quick),
    field(t('field.amount'), amount, t('wallet.amount_hint')), box, submit, h('p', { class: 'hint' }, t('wallet.sandbox_hint')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const cents = parseCents(amount.value);
      if (cents === null || cents < 100 || cents > 100000) {
        showError(box, { code: 'invalid_request', errors: [{ field: 'amount_cents', message: t('wallet.amount_hint') }] }, form);
        amount.focus();
        return;
      }
      try {
        const tx = await post('/v1/wallet/top-ups', { amount_cents: cents, method: 'sandbox' }, { key: topUp.key });
        topUp.settle();
        showOk(box, t('wallet.topped_up', { amount: money(tx.amount_cents, tx.currency) }));
        amount.value = '';
        await refresh();
      } catch (error) {
        topUp.settle(error);
        showError(box, error, form);
      }
    });
  });
  replace(main, title(t('wallet.title')), h('div', { class: 'card' }, h('h2', {}, t('wallet.balance')), balance), form,
    h('h2', {}, t('wallet.transactions')), txs.element);
  await refresh();
}

export async function orders(main) {
  const list = pagedList('/v1/orders', {}, (order) => h('li', { class: 'row-item' },
    h('a', { href: `#/orders/${seg(order.id)}` }, dateTime(order.created_at)),
    h('span', catalogText, order.items.map((i) => `${i.quantity}× ${i.title}`).join(', ')),
    h('strong', {}, money(order.total_cents, order.currency)), statusBadge(order.status), fulfillmentBadge(order)), t('order.none'), 'orders');
  replace(main, title(t('order.title')), list.element);
  await list.load(true);
}

export async function order(main, { params, query }) {
  const id = params[0];
  const box = notice();
  const reason = h('input', { name: 'reason', value: '', maxlength: 200, required: true });
  const refundSome = h('button', { type: 'submit', 'data-testid': 'refund-selected' }, t('order.refund_selected'));
  const refundAll = h('button', { type: 'button', class: 'secondary', 'data-testid': 'refund-all' }, t('order.refund_all'));
  const refund = intent();
  const content = h('div', {});
  let current = await get(`/v1/orders/${seg(id)}`);
  let shipments = await loadShipments(current);

  function render() {
    const o = current;
    const inputs = [];
    const rows = o.items.map((line) => {
      const left = line.quantity - line.refunded_quantity;
      const input = h('input', { type: 'number', min: 0, max: left, value: '0', disabled: left === 0, 'aria-label': t('order.refund_qty_of', { title: line.title }) });
      inputs.push([line, input]);
      // On a phone each row becomes a card and each cell shows its column's name (data-label) before its value.
      const cell = (key, ...content) => h('td', { 'data-label': t(key) }, ...content);
      return h('tr', {}, h('th', { scope: 'row', ...catalogText }, line.title), cell('field.quantity', String(line.quantity)),
        cell('order.unit', money(line.unit_price_cents, o.currency)), cell('order.line_total', money(line.line_total_cents, o.currency)),
        cell('order.refunded', line.refunded_quantity ? String(line.refunded_quantity) : '–'), cell('order.refund_now', input));
    });
    const table = h('table', { class: 'table order-lines' },
      h('thead', {}, h('tr', {}, ['order.product', 'field.quantity', 'order.unit', 'order.line_total', 'order.refunded', 'order.refund_now'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows));
    const totals = h('dl', { class: 'totals' },
      h('dt', {}, t('cart.subtotal')), h('dd', {}, money(o.subtotal_cents, o.currency)),
      h('dt', {}, t('order.discount')), h('dd', { 'data-testid': 'discount' }, o.discount_cents ? `− ${money(o.discount_cents, o.currency)}` : '–'),
      h('dt', {}, t('order.total')), h('dd', { 'data-testid': 'total' }, h('strong', {}, money(o.total_cents, o.currency))),
      o.refunded_cents ? [h('dt', {}, t('order.refunded')), h('dd', {}, money(o.refunded_cents, o.currency))] : null);
    // The buyer's 14 days run from delivery (API.md §6, §15); staff may refund at any time.
    const deadline = returnDeadline(o);
    const staff = session.has('merchant') || session.has('agent');
    const windowClosed = Boolean(deadline && deadline <= new Date() && !staff);
    const open = o.status !== 'refunded' && !windowClosed;
    const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('order.refund')),
      field(t('field.reason'), reason, refundHint(o)), box, h('div', { class: 'row' }, refundSome, refundAll));
    const send = (items) => busy(items ? refundSome : refundAll, async () => {
      if (!reason.value.trim()) reason.value = t('order.default_reason');
      const body = { reason: reason.value.trim() };
      if (items) {
        if (items.length === 0) { showError(box, { code: 'invalid_request', errors: [{ field: 'items', message: t('order.pick_units') }] }); return; }
        body.items = items;
      }
      try {
        const result = await post(`/v1/orders/${seg(o.id)}/refunds`, body, { key: refund.key });
        refund.settle();
        current = await get(`/v1/orders/${seg(o.id)}`);
        shipments = await loadShipments(current);
        render();
        showOk(box, t('order.refunded_ok', { amount: money(result.amount_cents, result.currency) }));
      } catch (error) {
        refund.settle(error);
        showError(box, error, form);
      }
    });
    form.onsubmit = (e) => {
      e.preventDefault();
      send(inputs.filter(([, input]) => Number(input.value) > 0).map(([line, input]) => ({ product_id: line.product_id, quantity: Number(input.value) })));
    };
    refundAll.onclick = () => send(null);
    replace(content,
      query.get('new') ? h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'order-confirmation' }, t('order.thanks')) : null,
      h('p', {}, statusBadge(o.status), ' ', fulfillmentBadge(o), ' ', h('span', { class: 'muted' }, dateTime(o.created_at), ' · ', o.id)),
      deliverySection(o, shipments),
      h('div', { class: 'table-wrap' }, table), totals,
      o.live_session_id ? h('p', {}, h('a', { href: `#/live/${seg(o.live_session_id)}` }, t('order.from_live'))) : null,
      session.has('merchant') && o.fulfillment_status ? h('p', {}, h('a', { href: `#/merchant/orders/${seg(o.id)}` }, t('merchant.order'))) : null,
      open ? form : null,
      windowClosed ? h('p', { class: 'hint', 'data-testid': 'refund-closed' }, refundHint(o)) : null);
  }
  render();
  replace(main, h('p', {}, h('a', { href: '#/orders' }, '← ', t('order.title'))), title(t('order.one')), content);
}

export async function coupons(main) {
  const code = h('input', { name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', 'data-testid': 'claim-code' });
  const submit = h('button', { type: 'submit', 'data-testid': 'claim-submit' }, t('coupons.claim'));
  const box = notice();
  const claim = intent();
  const list = pagedList('/v1/coupons', {}, (c) => h('li', { class: `row-item coupon coupon-${c.status}`, 'data-coupon-id': c.id },
    h('strong', { class: 'coupon-name' }, couponName(c)),
    h('span', {}, discountText(c)),
    c.code && c.code !== couponName(c) ? h('span', { class: 'muted' }, c.code) : null,
    h('small', {}, c.valid_until ? t('coupons.valid_until', { date: dateTime(c.valid_until) }) : ''),
    h('span', { class: `badge status-${c.status}` }, t(`coupons.status.${c.status}`)),
    c.status === 'available' ? h('a', { href: '#/cart' }, t('coupons.use')) : null), t('coupons.none'), 'coupons');
  const form = h('form', { class: 'card', novalidate: true }, h('h2', {}, t('coupons.claim_title')),
    field(t('field.code'), code, t('coupons.code_hint')), box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      try {
        const coupon = await post('/v1/coupons/claim', { code: code.value.trim() }, { key: claim.key });
        claim.settle();
        showOk(box, t('coupons.claimed', { what: `${couponName(coupon)} — ${discountText(coupon)}` }));
        code.value = '';
        await list.load(true);
      } catch (error) {
        claim.settle(error);
        showError(box, error, form);
      }
    });
  });
  replace(main, title(t('coupons.title')), form, h('h2', {}, t('coupons.mine')), list.element);
  await list.load(true);
}

// Wallet with sandbox top-ups and payouts (API.md §5, §24), orders with refunds (§6), their delivery (§15) kept up
// to date over the account's event stream (§13) and a question to the service team (§18), coupons and code claims (§7).
import { get, post, seg, intent, session, unavailable } from './api.js';
import { t } from './i18n.js';
import { h, replace, money, notice, showError, showOk, clearInvalid, busy, title, dateTime, parseCents, field, discountText, couponName, catalogText, pagedList } from './ui.js';
import { statusBadge, fulfillmentBadge, deliverySection, loadShipments, refundHint, returnDeadline } from './view-delivery.js';
import { onAccountEvent } from './events.js';
import { helpSection } from './view-support.js';

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

  let current = null;
  async function refresh() {
    const w = await get('/v1/wallet');
    current = w;
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
        clearInvalid(form);
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
    payoutForm(() => current, refresh), h('h2', {}, t('wallet.transactions')), txs.element);
  await refresh();
}

/** Money back out of the wallet (sandbox: approved at once, API.md §24), at most the balance. */
function payoutForm(wallet, refresh) {
  const amount = h('input', { name: 'amount_cents', inputmode: 'decimal', autocomplete: 'off', placeholder: t('wallet.placeholder'), 'data-testid': 'payout-amount' });
  const submit = h('button', { type: 'submit', class: 'secondary', 'data-testid': 'payout-submit' }, t('wallet.pay_out'));
  const all = h('button', { type: 'button', class: 'chip', 'data-testid': 'payout-all' }, t('wallet.everything'));
  const box = notice();
  const payout = intent();
  all.addEventListener('click', () => {
    const w = wallet();
    if (w) amount.value = (w.balance_cents / 100).toFixed(2);
    amount.focus();
  });
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'payout-form', 'aria-labelledby': 'payout-title' },
    h('h2', { id: 'payout-title' }, t('wallet.pay_out')), h('div', { class: 'chips' }, all),
    field(t('field.amount'), amount, t('wallet.payout_hint')), box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const w = wallet();
      const cents = parseCents(amount.value);
      const tooMuch = w && cents !== null && cents > w.balance_cents;
      if (cents === null || cents < 1 || tooMuch) {
        const message = tooMuch ? t('wallet.payout_too_much', { amount: money(w.balance_cents, w.currency) }) : t('common.amount_format');
        showError(box, { code: 'invalid_request', errors: [{ field: 'amount_cents', message }] }, form);
        amount.focus();
        return;
      }
      try {
        const tx = await post('/v1/wallet/payouts', { amount_cents: cents, method: 'sandbox' }, { key: payout.key });
        payout.settle();
        clearInvalid(form);
        showOk(box, t('wallet.paid_out', { amount: money(Math.abs(tx.amount_cents), tx.currency) }));
        amount.value = '';
        await refresh();
      } catch (error) {
        payout.settle(error);
        if (error.code === 'insufficient_funds') {
          await refresh().catch(() => {});
          const now = wallet();
          showError(box, { code: 'payout', detail: t('wallet.payout_too_much', { amount: money(now?.balance_cents ?? 0, now?.currency) }) }, form);
        } else {
          showError(box, unavailable(error) ? { code: 'not_implemented' } : error, form);
        }
      }
    });
  });
  return form;
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
  let lastInputs = [];

  function render() {
    const o = current;
    const inputs = [];
    // A live update re-renders the page: the units a person has typed stay (within what is left).
    const typed = new Map(lastInputs.map(([line, input]) => [line.product_id, Number(input.value) || 0]));
    const rows = o.items.map((line) => {
      const left = line.quantity - line.refunded_quantity;
      const value = String(Math.min(left, typed.get(line.product_id) || 0));
      const input = h('input', { type: 'number', min: 0, max: left, value, disabled: left === 0, 'aria-label': t('order.refund_qty_of', { title: line.title }) });
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
    lastInputs = inputs;
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
        showOk(box, t(o.account_id && o.account_id !== session.account?.id ? 'order.refunded_ok_staff' : 'order.refunded_ok', { amount: money(result.amount_cents, result.currency) }));
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
      // After the last unit is refunded the form goes, and its confirmation stays.
      open ? form : box,
      windowClosed ? h('p', { class: 'hint', 'data-testid': 'refund-closed' }, refundHint(o)) : null);
  }
  render();
  // The customer's own order has "a question about this order"; an agent reading a customer's order does not.
  const help = current.account_id && current.account_id !== session.account?.id ? null : helpSection(current);
  replace(main, h('p', {}, h('a', { href: '#/orders' }, '← ', t('order.title'))), title(t('order.one')), content, help?.element);
  help?.load();

  // Live (API.md §13, §24): a refund, a parcel sent or delivered elsewhere shows here without a reload; a
  // reconnection cannot resume, so the order is read again then too.
  let running = false;
  let again = false;
  async function refreshLive() {
    if (running) { again = true; return; }
    running = true;
    try {
      do {
        again = false;
        current = await get(`/v1/orders/${seg(id)}`);
        shipments = await loadShipments(current);
        render();
      } while (again);
    } catch { /* the page keeps what it shows */ } finally { running = false; }
  }
  const stops = [
    onAccountEvent('order.updated', (o) => { if (o?.id === id) refreshLive(); }),
    onAccountEvent('shipment.updated', (s) => { if (s?.order_id === id) refreshLive(); }),
    onAccountEvent('open', refreshLive),
  ];
  return () => stops.forEach((stop) => stop());
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

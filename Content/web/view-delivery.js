// Delivery (API.md §15): the customer's addresses, the address chosen at checkout, an order's timeline
// (paid → shipped → delivered) with its shipments, and the merchant's orders view where units are shipped and
// marked delivered. Every route here may still be missing on an older server: the pages then say so calmly.
import { get, post, del, seg, session, unavailable } from './api.js';
import { t, lang } from './i18n.js';
import { h, replace, money, notice, showError, showOk, clearInvalid, busy, title, dateTime, day, isoDay, field, catalogText, pagedList } from './ui.js';

/** Countries offered in the address form (the EU, the EEA, Switzerland and the UK), German ones first. */
const COUNTRIES = ['DE', 'AT', 'CH', 'BE', 'BG', 'CY', 'CZ', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE',
  'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
const CARRIERS = ['DHL', 'Deutsche Post', 'DPD', 'GLS', 'Hermes', 'UPS', 'Österreichische Post', 'PostNL'];
const MAX_ADDRESSES = 20;

export function countryName(code) {
  try { return new Intl.DisplayNames([lang()], { type: 'region' }).of(code) || code; } catch { return code; }
}

function addressLines(a) {
  return [a.name, a.line1, a.line2, `${a.postal_code} ${a.city}`, countryName(a.country)].filter(Boolean);
}

/** An address as a postal block. */
export function addressBlock(a, testid) {
  return h('address', { class: 'address', 'data-testid': testid }, addressLines(a).map((line, i) => [i ? h('br') : null, line]));
}

/** An address on one line, for a picker. */
export function addressShort(a) {
  return [a.name, a.line1, `${a.postal_code} ${a.city}`, a.country].join(', ');
}

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, t(`order.status.${status}`));
}

/** The order's delivery state, or nothing from a server that does not track deliveries. */
export function fulfillmentBadge(order) {
  const status = order.fulfillment_status;
  if (!status) return null;
  return h('span', { class: `badge fulfillment-${status}`, 'data-testid': 'fulfillment' }, t(`fulfillment.${status}`));
}

// MARK: - addresses

/** The account page's address book: the list (newest first), delete, and a form to add one. */
export function addressBook() {
  const list = h('ul', { class: 'rows addresses', 'data-testid': 'addresses' });
  const box = notice();
  const formBox = notice();
  const country = h('select', { name: 'country', autocomplete: 'country' },
    COUNTRIES.map((code) => [code, countryName(code)]).sort((a, b) => (a[0] === 'DE' ? -1 : b[0] === 'DE' ? 1 : a[1].localeCompare(b[1], lang())))
      .map(([code, name]) => h('option', { value: code, selected: code === 'DE' }, name)));
  const inputs = {
    name: h('input', { name: 'name', autocomplete: 'name', maxlength: 100, value: session.account?.display_name || '' }),
    line1: h('input', { name: 'line1', autocomplete: 'address-line1', maxlength: 200 }),
    line2: h('input', { name: 'line2', autocomplete: 'address-line2', maxlength: 200 }),
    postal_code: h('input', { name: 'postal_code', autocomplete: 'postal-code', maxlength: 16, class: 'short' }),
    city: h('input', { name: 'city', autocomplete: 'address-level2', maxlength: 100 }),
  };
  const submit = h('button', { type: 'submit', 'data-testid': 'address-submit' }, t('address.add'));
  const limitNote = h('p', { class: 'hint', hidden: true }, t('address.limit_note', { n: MAX_ADDRESSES }));
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'address-form' }, h('h3', {}, t('address.new')),
    field(t('field.name'), inputs.name), field(t('field.line1'), inputs.line1), field(t('field.line2'), inputs.line2, t('address.line2_hint')),
    h('div', { class: 'postal-city' }, field(t('field.postal_code'), inputs.postal_code), field(t('field.city'), inputs.city)),
    field(t('field.country'), country), formBox, submit);
  const section = h('section', { class: 'address-book', 'aria-labelledby': 'addresses-title' },
    h('h2', { id: 'addresses-title' }, t('address.title')), h('p', { class: 'hint' }, t('address.intro')), box, list, limitNote, form);

  function render(addresses) {
    replace(list, addresses.map((a) => {
      const remove = h('button', { type: 'button', class: 'link-button', 'data-testid': 'address-delete', 'aria-label': t('address.delete_of', { address: addressShort(a) }) }, t('address.delete'));
      remove.addEventListener('click', () => busy(remove, async () => {
        try { await del(`/v1/me/addresses/${seg(a.id)}`); await load(); } catch (error) { showError(box, error); }
      }));
      return h('li', { class: 'row-item address-row', 'data-address-id': a.id }, addressBlock(a), remove);
    }));
    if (addresses.length === 0) list.append(h('li', { class: 'empty' }, t('address.none')));
    const full = addresses.length >= MAX_ADDRESSES;
    form.hidden = full;
    limitNote.hidden = !full;
  }

  async function load() {
    try {
      render((await get('/v1/me/addresses')).data);
      box.hidden = true;
    } catch (error) {
      if (unavailable(error)) { replace(section, h('h2', {}, t('address.title')), h('p', { class: 'muted' }, t('common.unavailable'))); return; }
      showError(box, error);
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const body = Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, input.value.trim()]));
      body.country = country.value;
      if (!body.line2) delete body.line2;
      const missing = ['name', 'line1', 'postal_code', 'city'].filter((k) => !body[k]);
      if (missing.length) {
        showError(formBox, { code: 'invalid_request', errors: missing.map((k) => ({ field: k, message: t('address.required') })) }, form);
        inputs[missing[0]].focus();
        return;
      }
      try {
        await post('/v1/me/addresses', body);
        for (const k of ['line1', 'line2', 'postal_code', 'city']) inputs[k].value = '';
        clearInvalid(form);
        showOk(formBox, t('address.added'));
        await load();
      } catch (error) {
        showError(formBox, error.code === 'limit_reached' ? { code: 'limit', detail: t('address.limit_note', { n: MAX_ADDRESSES }) } : error, form);
      }
    });
  });
  return { element: section, load };
}

/**
 * The cart's "ship to" choice (`address_id` of POST /v1/orders and its quote). Hidden where the server keeps no
 * addresses; with none saved yet it links to the account page.
 */
export function addressPicker(onChange) {
  const select = h('select', { name: 'address_id', 'data-testid': 'address-select' });
  const wrap = h('div', { class: 'address-picker', hidden: true });
  select.addEventListener('change', () => onChange?.());
  async function load() {
    let addresses;
    try {
      addresses = (await get('/v1/me/addresses')).data;
    } catch {
      wrap.hidden = true; // checkout works without an address
      return;
    }
    if (addresses.length === 0) {
      replace(wrap, h('p', { class: 'hint', 'data-testid': 'no-address' }, t('address.none_yet'), ' ',
        h('a', { href: '#/account' }, t('address.add_in_account'))));
    } else {
      replace(select, addresses.map((a) => h('option', { value: a.id }, addressShort(a))), h('option', { value: '' }, t('address.without')));
      replace(wrap, field(t('address.ship_to'), select, t('address.ship_to_hint')), h('p', { class: 'hint' }, h('a', { href: '#/account' }, t('address.manage'))));
    }
    wrap.hidden = false;
  }
  return { element: wrap, load, get value() { return select.isConnected ? select.value : ''; } };
}

// MARK: - an order's delivery

/** The order's shipments, or null where the server has none to tell (an older server, or a failed read). */
export async function loadShipments(order) {
  if (!order.fulfillment_status) return null;
  try {
    return (await get(`/v1/orders/${seg(order.id)}/shipments`)).data;
  } catch {
    return null;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** When the buyer's 14 days end (API.md §6, §24): 14 × 24 hours after delivery, or null while not delivered. */
export function returnDeadline(order) {
  return order.delivered_at ? new Date(Date.parse(order.delivered_at) + 14 * DAY_MS) : null;
}

/** What the refund form says about the window: from delivery, not from purchase. */
export function refundHint(order) {
  if (!('delivered_at' in order)) return t('order.refund_hint');
  const deadline = returnDeadline(order);
  if (!deadline) return t('order.refund_until_delivery');
  return t(deadline > new Date() ? 'order.refund_until' : 'order.refund_closed', { date: dateTime(deadline.toISOString()) });
}

/** Paid → shipped → delivered, from the Order's `fulfillment_status` and `delivered_at` and its shipments. */
export function timeline(order, shipments) {
  const status = order.fulfillment_status;
  const list = shipments || [];
  const firstShipped = list.map((s) => s.shipped_at).sort()[0];
  const open = list.filter((s) => s.status !== 'delivered');
  const promised = open.map((s) => s.promised_delivery_date).sort().pop();
  const late = open.some((s) => s.delayed);
  const delivered = status === 'delivered';
  const steps = [
    { key: 'paid', done: true, when: dateTime(order.created_at) },
    { key: 'shipped', done: status !== 'unfulfilled', partly: status === 'partially_shipped', when: firstShipped ? dateTime(firstShipped) : '' },
    { key: 'delivered', done: delivered, late: late && !delivered, partly: !delivered && list.some((s) => s.status === 'delivered'),
      when: delivered ? dateTime(order.delivered_at) : promised ? t(late ? 'timeline.promised' : 'timeline.expected', { date: day(promised) }) : '' },
  ];
  const current = steps.reduce((last, step, i) => (step.done ? i : last), 0);
  return h('ol', { class: 'timeline', 'data-testid': 'timeline', 'data-status': status }, steps.map((step, i) => h('li', {
    class: `step ${step.done ? 'done' : 'todo'}${step.late ? ' late' : ''}`, 'data-step': step.key, 'aria-current': i === current ? 'step' : null,
  }, h('span', { class: 'dot', 'aria-hidden': 'true' }),
  h('span', { class: 'step-text' },
    h('strong', {}, t(`timeline.${step.key}`)), h('span', { class: 'sr-only' }, ` (${t(step.done ? 'timeline.done' : 'timeline.todo')})`),
    step.partly ? h('span', { class: 'muted' }, ` · ${t('timeline.partly')}`) : null,
    step.when ? h('small', {}, step.when) : null,
    step.late ? h('span', { class: 'badge late-badge', 'data-testid': 'timeline-delayed' }, t('shipment.delayed_badge')) : null))));
}

/** The shipments of `order`; merchants get "mark delivered" on those still on their way. */
export function shipmentList(order, shipments, { merchant = false, onChange } = {}) {
  const titles = new Map(order.items.map((item) => [item.product_id, item.title]));
  if (!shipments.length) return h('p', { class: 'muted', 'data-testid': 'shipments' }, t('shipment.none'));
  return h('ul', { class: 'shipments', 'data-testid': 'shipments' }, shipments.map((s) => {
    const delivered = s.status === 'delivered';
    const box = notice();
    let mark = null;
    if (merchant && !delivered) {
      mark = h('button', { type: 'button', class: 'small', 'data-testid': 'mark-delivered' }, t('shipment.mark_delivered'));
      mark.addEventListener('click', () => busy(mark, async () => {
        try { await post(`/v1/shipments/${seg(s.id)}/delivered`); await onChange?.(); } catch (error) { showError(box, error); }
      }));
    }
    const fact = (key, value, attrs = {}) => [h('dt', {}, t(key)), h('dd', attrs, value)];
    return h('li', { class: `shipment${s.delayed && !delivered ? ' is-late' : ''}`, 'data-shipment-id': s.id, 'data-status': s.status },
      h('div', { class: 'row' }, h('strong', {}, s.carrier), h('span', { class: `badge shipment-${s.status}` }, t(`shipment.status.${s.status}`))),
      h('dl', { class: 'facts' },
        fact('shipment.tracking', h('code', { 'data-testid': 'tracking' }, s.tracking_number)),
        fact('shipment.items', s.items.map((i) => `${i.quantity}× ${titles.get(i.product_id) || i.product_id}`).join(', '), catalogText),
        fact('shipment.shipped_at', dateTime(s.shipped_at)),
        delivered ? fact('shipment.delivered_at', dateTime(s.delivered_at)) : fact('shipment.promised', day(s.promised_delivery_date), { 'data-testid': 'promised' })),
      s.delayed && !delivered ? h('p', { class: 'late-note', 'data-testid': 'delayed' },
        h('strong', {}, t('shipment.delayed_badge')), ' ', t(merchant ? 'shipment.delayed_merchant' : 'shipment.delayed', { date: day(s.promised_delivery_date) })) : null,
      s.delayed && delivered ? h('p', { class: 'hint' }, t('shipment.was_late')) : null,
      mark, box);
  }));
}

/** The customer's order page section: timeline, shipping address and shipments; nothing from an older server. */
export function deliverySection(order, shipments) {
  if (!order.fulfillment_status) return null;
  return h('section', { class: 'delivery card', 'aria-labelledby': 'delivery-title' },
    h('h2', { id: 'delivery-title' }, t('delivery.title')),
    timeline(order, shipments),
    h('h3', {}, t('delivery.address')),
    order.shipping_address ? addressBlock(order.shipping_address, 'shipping-address') : h('p', { class: 'muted', 'data-testid': 'shipping-address' }, t('delivery.no_address')),
    shipments ? [h('h3', {}, t('delivery.shipments')), shipmentList(order, shipments)] : null);
}

// MARK: - merchants

function needsMerchant(main, heading) {
  if (session.has('merchant')) return false;
  replace(main, title(heading), h('div', { class: 'notice notice-error', role: 'alert' }, t('merchant.need_role')));
  return true;
}

/** Every order (`GET /v1/orders?all=true`), newest first, with its payment and delivery state. */
export async function merchantOrders(main) {
  if (needsMerchant(main, t('merchant.title'))) return;
  const list = pagedList('/v1/orders', { all: 'true' }, (o) => h('li', { class: 'row-item', 'data-order-id': o.id },
    h('a', { href: `#/merchant/orders/${seg(o.id)}` }, dateTime(o.created_at)),
    h('span', catalogText, o.items.map((i) => `${i.quantity}× ${i.title}`).join(', ')),
    h('strong', {}, money(o.total_cents, o.currency)), statusBadge(o.status), fulfillmentBadge(o),
    o.shipping_address ? h('small', { class: 'muted' }, `${o.shipping_address.postal_code} ${o.shipping_address.city}`) : null),
  t('order.none'), 'merchant-orders');
  replace(main, title(t('merchant.title')), h('p', { class: 'hint' }, t('merchant.intro')), list.element);
  await list.load(true);
}

/** One order for the merchant: what is left to ship, a form to ship it, and its shipments to mark delivered. */
export async function merchantOrder(main, { params }) {
  if (needsMerchant(main, t('merchant.order'))) return;
  const id = params[0];
  const content = h('div', {});
  const box = notice();
  const carrier = h('input', { name: 'carrier', list: 'carriers', maxlength: 50, autocomplete: 'off', 'data-testid': 'ship-carrier' });
  const tracking = h('input', { name: 'tracking_number', maxlength: 100, autocomplete: 'off', spellcheck: 'false', 'data-testid': 'ship-tracking' });
  const promised = h('input', { name: 'promised_delivery_date', type: 'date', value: isoDay(3), 'data-testid': 'ship-promised' });
  const submit = h('button', { type: 'submit', 'data-testid': 'ship-submit' }, t('merchant.ship'));
  const carriers = h('datalist', { id: 'carriers' }, CARRIERS.map((c) => h('option', { value: c })));
  let order = null;
  let shipments = [];

  async function load() {
    order = await get(`/v1/orders/${seg(id)}`);
    try {
      shipments = (await get(`/v1/orders/${seg(id)}/shipments`)).data;
    } catch (error) {
      if (!unavailable(error)) throw error;
      shipments = null;
    }
    render();
  }

  function render() {
    const shipped = new Map();
    for (const s of shipments || []) for (const i of s.items) shipped.set(i.product_id, (shipped.get(i.product_id) || 0) + i.quantity);
    const inputs = [];
    const rows = order.items.map((line) => {
      const sent = shipped.get(line.product_id) || 0;
      // A refund takes a line's unshipped units first (API.md §24).
      const left = Math.max(0, line.quantity - line.refunded_quantity - sent);
      const input = h('input', { type: 'number', min: 0, max: left, value: String(left), disabled: left === 0, name: 'quantity',
        'data-testid': 'ship-qty', 'aria-label': t('merchant.ship_qty_of', { title: line.title }) });
      inputs.push([line, input, left]);
      const cell = (key, ...value) => h('td', { 'data-label': t(key) }, ...value);
      return h('tr', {}, h('th', { scope: 'row', ...catalogText }, line.title), cell('field.quantity', String(line.quantity)),
        cell('order.refunded', line.refunded_quantity ? String(line.refunded_quantity) : '–'), cell('merchant.shipped', sent ? String(sent) : '–'),
        cell('merchant.ship_now', left ? input : '–'));
    });
    const table = h('table', { class: 'table order-lines' },
      h('thead', {}, h('tr', {}, ['order.product', 'field.quantity', 'order.refunded', 'merchant.shipped', 'merchant.ship_now'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows));
    const anyLeft = inputs.some(([, , left]) => left > 0);
    const form = h('form', { class: 'card ship-form', novalidate: true, 'data-testid': 'ship-form' }, h('h2', {}, t('merchant.ship_title')),
      field(t('field.carrier'), carrier), carriers, field(t('field.tracking_number'), tracking),
      field(t('field.promised_delivery_date'), promised, t('merchant.promised_hint')), box, submit);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(submit, async () => {
        const chosen = inputs.filter(([, input]) => Number(input.value) > 0);
        const errors = [];
        if (!carrier.value.trim()) errors.push({ field: 'carrier', message: t('address.required') });
        if (!tracking.value.trim()) errors.push({ field: 'tracking_number', message: t('address.required') });
        if (!/^\d{4}-\d{2}-\d{2}$/.test(promised.value)) errors.push({ field: 'promised_delivery_date', message: t('merchant.date_format') });
        if (!chosen.length) errors.push({ field: 'items', message: t('order.pick_units') });
        if (errors.length) { showError(box, { code: 'invalid_request', errors }, form); return; }
        const body = { carrier: carrier.value.trim(), tracking_number: tracking.value.trim(), promised_delivery_date: promised.value };
        // Without `items` the server ships every unit left; with a part of them, exactly those.
        const everything = inputs.every(([, input, left]) => Number(input.value) === left);
        if (!everything) body.items = chosen.map(([line, input]) => ({ product_id: line.product_id, quantity: Number(input.value) }));
        try {
          const shipment = await post(`/v1/orders/${seg(id)}/shipments`, body);
          tracking.value = '';
          clearInvalid(form);
          await load();
          showOk(box, t('merchant.shipped_ok', { carrier: shipment.carrier, tracking: shipment.tracking_number }));
        } catch (error) {
          showError(box, error, form);
        }
      });
    });
    replace(content,
      h('p', {}, statusBadge(order.status), ' ', fulfillmentBadge(order), ' ', h('span', { class: 'muted' }, dateTime(order.created_at), ' · ', order.id)),
      h('dl', { class: 'totals' }, h('dt', {}, t('order.total')), h('dd', {}, money(order.total_cents, order.currency))),
      h('h2', {}, t('delivery.address')),
      order.shipping_address ? addressBlock(order.shipping_address, 'shipping-address') : h('p', { class: 'muted', 'data-testid': 'shipping-address' }, t('delivery.no_address')),
      h('div', { class: 'table-wrap' }, table),
      shipments === null ? h('p', { class: 'muted' }, t('common.unavailable'))
        : [anyLeft ? form : [h('p', { class: 'notice notice-ok', 'data-testid': 'all-shipped' }, t('merchant.nothing_left')), box],
          h('h2', {}, t('delivery.shipments')), shipmentList(order, shipments, { merchant: true, onChange: load })]);
  }

  await load();
  replace(main, h('p', {}, h('a', { href: '#/merchant' }, '← ', t('merchant.title'))), title(t('merchant.order')), content);
}

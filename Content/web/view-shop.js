// Catalog (API.md §3), product page, cart and one-step checkout paying from the wallet (§4, §6).
import { get, put, del, post, seg, session, intent } from './api.js';
import { t, errorMessage as errorText } from './i18n.js';
import { h, replace, money, notice, showError, busy, title, toast, debounce, productImage, field, discountText, couponName, catalogText } from './ui.js';
import { addressPicker } from './view-delivery.js';
import { teamDeal, shareBox } from './view-teams.js';
import { boughtTogether, forYou } from './recommendations.js';

/** Adds one product to the cart (or raises its quantity); sends people who are not signed in to the login. */
export async function addToCart(product, quantity, go) {
  if (!session.signedIn) { go(`#/login?next=${encodeURIComponent(`/product/${product.id}`)}`); return; }
  const cart = await get('/v1/cart');
  const line = cart.items.find((item) => item.product_id === product.id);
  const total = Math.min(99, (line ? line.quantity : 0) + quantity);
  await put(`/v1/cart/items/${seg(product.id)}`, { quantity: total });
  toast(t('cart.added', { title: product.title }), 'ok');
}

function productCard(product, go) {
  const button = h('button', { type: 'button', class: 'small', 'data-testid': 'add-to-cart' }, t('cart.add'));
  button.addEventListener('click', () => busy(button, async () => {
    try { await addToCart(product, 1, go); } catch (error) { toast(errorText(error), 'error'); }
  }));
  return h('li', { class: 'product-card', 'data-product-id': product.id },
    h('a', { href: `#/product/${seg(product.id)}`, class: 'product-link' }, productImage(product),
      h('span', { class: 'product-title', ...catalogText }, product.title)),
    h('div', { class: 'row' }, h('span', { class: 'price' }, money(product.price_cents, product.currency)),
      product.stock > 0 ? button : h('span', { class: 'badge' }, t('product.sold_out'))));
}

export async function catalog(main, { query, go }) {
  const state = { q: query.get('q') || '', category: query.get('category') || '', cursor: null, controller: null };
  const search = h('input', { type: 'search', name: 'q', value: state.q, 'data-testid': 'search' });
  const chips = h('div', { class: 'chips scroll', role: 'group', 'aria-label': t('catalog.categories') });
  const grid = h('ul', { class: 'product-grid', 'aria-live': 'polite', 'data-testid': 'products' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.more'));
  const box = notice();
  const suggestions = forYou();

  function syncHash() {
    const params = new URLSearchParams();
    if (state.q) params.set('q', state.q);
    if (state.category) params.set('category', state.category);
    const hash = `#/${params.toString() ? `?${params}` : ''}`;
    // replaceState changes the address without a hashchange, so the view is not rendered again.
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  }

  async function load(reset) {
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    if (reset) state.cursor = null;
    // Suggestions belong to the plain shop page; a search or a category shows its results first.
    if (suggestions) suggestions.hidden = Boolean(state.q || state.category);
    try {
      const page = await get('/v1/products', { q: state.q, category: state.category, limit: 24, cursor: state.cursor }, { signal: controller.signal });
      if (reset) grid.replaceChildren();
      box.hidden = true;
      for (const product of page.data) grid.append(productCard(product, go));
      if (reset && page.data.length === 0) grid.append(h('li', { class: 'empty' }, t('catalog.nothing_found')));
      state.cursor = page.next_cursor;
      more.hidden = !page.next_cursor;
      grid.dataset.query = state.q; // which search the list shows (tests wait for it)
    } catch (error) {
      if (error.name !== 'AbortError') showError(box, error);
    }
  }

  function renderChips(categories) {
    const all = [{ slug: '', name: t('catalog.all'), product_count: null }, ...categories];
    replace(chips, all.map((c) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(state.category === c.slug), dataset: { category: c.slug },
      onclick: () => { state.category = c.slug; renderChips(categories); syncHash(); load(true); },
    }, c.name, c.product_count !== null ? h('span', { class: 'count' }, ` ${c.product_count}`) : null)));
  }

  // Debounced: the server searches accent- and case-insensitively by word prefix, so each keystroke would work,
  // but one request per pause is kinder to it.
  search.addEventListener('input', debounce(() => { state.q = search.value.trim(); syncHash(); load(true); }, 300));
  more.addEventListener('click', () => busy(more, () => load(false)));
  replace(main, title(t('catalog.title')),
    h('form', { role: 'search', class: 'search', onsubmit: (e) => { e.preventDefault(); state.q = search.value.trim(); load(true); } },
      field(t('catalog.search'), search, t('catalog.search_hint'))),
    chips, suggestions, box, grid, more);
  get('/v1/categories').then((r) => renderChips(r.data)).catch(() => renderChips([]));
  await load(true);
  return () => state.controller?.abort();
}

export async function product(main, { params, go }) {
  const item = await get(`/v1/products/${seg(params[0])}`);
  const quantity = h('input', { type: 'number', name: 'quantity', min: 1, max: 99, value: '1', inputmode: 'numeric' });
  const add = h('button', { type: 'submit', 'data-testid': 'add-to-cart' }, t('cart.add'));
  const box = notice();
  const form = h('form', { class: 'buy-row' }, field(t('field.quantity'), quantity), add);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, async () => {
      const n = Number(quantity.value);
      if (!Number.isInteger(n) || n < 1 || n > 99) { quantity.setAttribute('aria-invalid', 'true'); quantity.focus(); return; }
      try { await addToCart(item, n, go); box.hidden = true; } catch (error) { showError(box, error, form); }
    });
  });
  replace(main, 
    h('p', {}, h('a', { href: '#/' }, '← ', t('catalog.title'))),
    h('article', { class: 'product-page' }, productImage(item, 'hero'),
      h('div', {}, title(item.title, catalogText),
        h('p', { class: 'price big' }, money(item.price_cents, item.currency)),
        h('p', { class: 'muted' }, item.stock > 0 ? t('product.in_stock', { n: item.stock }) : t('product.sold_out')),
        h('p', { class: 'description', ...catalogText }, item.description || ''),
        item.stock > 0 ? form : null, box,
        // Team buys and share links (API.md §20): nothing on a server without them.
        teamDeal(item, go), session.signedIn ? shareBox('product', item.id, item.title) : null)),
    boughtTogether(item.id));
}

/**
 * Whether the server has `POST /v1/orders/quote` (API.md §14). A server without it answers 404 or 405 once; the cart
 * then shows the subtotal and balance only until the page is reloaded.
 */
let quotesAvailable = true;

export async function cart(main, { go }) {
  const box = notice();
  const list = h('ul', { class: 'lines', 'data-testid': 'cart-lines' });
  const summary = h('dl', { class: 'totals', 'data-testid': 'summary' });
  const quoteNote = h('p', { class: 'quote-note', hidden: true, 'data-testid': 'quote-note' });
  const couponSelect = h('select', { name: 'coupon_id', 'data-testid': 'coupon-select' });
  const checkout = h('button', { type: 'submit', class: 'primary', 'data-testid': 'checkout' }, t('cart.checkout'));
  const buy = intent();
  const address = addressPicker(() => { if (current) quote(); });
  let current = null;
  let asked = 0;

  /** The body of POST /v1/orders and of its quote: the cart, the coupon and where to ship. */
  function orderBody() {
    const body = { from_cart: true };
    if (couponSelect.value) body.coupon_id = couponSelect.value;
    if (address.value) body.address_id = address.value;
    return body;
  }

  function renderLines() {
    replace(list, current.items.map((line) => {
      const qty = h('input', { type: 'number', min: 1, max: 99, value: String(line.quantity), 'aria-label': t('cart.quantity_of', { title: line.title }) });
      qty.addEventListener('change', async () => {
        const n = Number(qty.value);
        if (!Number.isInteger(n) || n < 1 || n > 99) { qty.setAttribute('aria-invalid', 'true'); return; }
        try { await refresh(await put(`/v1/cart/items/${seg(line.product_id)}`, { quantity: n })); } catch (error) { showError(box, error); }
      });
      const remove = h('button', { type: 'button', class: 'link-button', 'aria-label': t('cart.remove_of', { title: line.title }) }, t('cart.remove'));
      remove.addEventListener('click', () => busy(remove, async () => {
        try { await refresh(await del(`/v1/cart/items/${seg(line.product_id)}`)); } catch (error) { showError(box, error); }
      }));
      return h('li', { class: 'line' }, h('a', { href: `#/product/${seg(line.product_id)}`, ...catalogText }, line.title),
        h('span', { class: 'muted' }, money(line.unit_price_cents, current.currency)), qty,
        h('strong', {}, money(line.line_total_cents, current.currency)), remove);
    }));
    if (current.items.length === 0) list.append(h('li', { class: 'empty' }, t('cart.empty'), ' ', h('a', { href: '#/' }, t('nav.shop'))));
    checkout.disabled = current.items.length === 0;
  }

  /**
   * Subtotal, discount, total and the balance after paying from the server's `quote`; without one, the cart's
   * subtotal and the `balance` (cents, or null when unknown).
   */
  function renderSummary(quote, balance = quote?.wallet_balance_cents ?? null) {
    const currency = quote?.currency || current.currency;
    const row = (label, value, testid) => [h('dt', {}, label), h('dd', { 'data-testid': testid }, value)];
    replace(summary,
      row(t('cart.subtotal'), money(quote ? quote.subtotal_cents : current.subtotal_cents, currency), 'subtotal'),
      quote ? [
        row(t('cart.discount'), quote.discount_cents ? `− ${money(quote.discount_cents, currency)}` : '–', 'quote-discount'),
        row(t('cart.total'), h('strong', {}, money(quote.total_cents, currency)), 'quote-total'),
      ] : null,
      balance === null ? null : row(t('wallet.balance'), [money(balance, currency), ' · ', h('a', { href: '#/wallet' }, t('wallet.top_up'))], 'balance'),
      quote?.sufficient_funds ? row(t('cart.balance_after'), money(balance - quote.total_cents, currency), 'balance-after') : null);
    if (quote && !quote.sufficient_funds) {
      notify(t('cart.not_enough', { balance: money(quote.wallet_balance_cents, currency), total: money(quote.total_cents, currency) }),
        ' ', h('a', { href: '#/wallet' }, t('wallet.top_up')));
    }
  }

  function notify(...content) {
    replace(quoteNote, ...content);
    quoteNote.hidden = false;
  }

  /** Asks the server what paying would cost now (API.md §14): it checks the coupon and changes nothing. */
  async function quote() {
    const ask = ++asked;
    let problem = null;
    if (quotesAvailable && current.items.length > 0) {
      try {
        const answer = await post('/v1/orders/quote', orderBody());
        if (ask === asked) { quoteNote.hidden = true; renderSummary(answer); }
        return;
      } catch (error) {
        // A server without quotes: the page works as before, and the order shows the discount once paid.
        if (error.status === 404 || error.status === 405) quotesAvailable = false;
        else problem = error;
      }
    }
    const wallet = await get('/v1/wallet').catch(() => null);
    if (ask !== asked) return;
    quoteNote.hidden = true;
    renderSummary(null, wallet ? wallet.balance_cents : null);
    // A refused coupon or missing stock is said here, before paying; checkout would answer the same.
    if (problem) notify(errorText(problem));
  }

  async function refresh(cartValue) {
    current = cartValue || await get('/v1/cart');
    renderLines();
    await quote();
  }

  async function loadCoupons() {
    const options = [h('option', { value: '' }, t('cart.no_coupon'))];
    try {
      const coupons = await get('/v1/coupons', { limit: 100 });
      for (const c of coupons.data.filter((x) => x.status === 'available')) {
        options.push(h('option', { value: c.id }, `${couponName(c)} — ${discountText(c)}`));
      }
    } catch { /* checkout works without coupons */ }
    replace(couponSelect, options);
  }

  couponSelect.addEventListener('change', () => { quote(); });
  const form = h('form', { class: 'card checkout' }, address.element,
    field(t('cart.coupon'), couponSelect, t('cart.coupon_hint')), summary, quoteNote, box, checkout);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(checkout, async () => {
      try {
        const order = await post('/v1/orders', orderBody(), { key: buy.key });
        buy.settle();
        toast(t('cart.paid', { total: money(order.total_cents, order.currency) }), 'ok');
        go(`#/orders/${seg(order.id)}?new=1`);
      } catch (error) {
        buy.settle(error);
        showError(box, error, form);
        if (error.code === 'insufficient_funds') box.append(h('p', {}, h('a', { href: '#/wallet' }, t('wallet.top_up'))));
      }
    });
  });
  replace(main, title(t('cart.title')), list, form);
  await Promise.all([loadCoupons(), address.load()]);
  await refresh();
}

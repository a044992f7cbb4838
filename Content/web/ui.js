// Small DOM helpers: elements are built with createElement and text nodes only (never HTML parsed from data),
// and styles are set through the CSSOM, which the page's Content-Security-Policy (style-src 'self') allows.
import { t, lang, catalogLang, errorMessage } from './i18n.js';
import { get } from './api.js';

/** Creates an element: attributes (`on…` become listeners) and children (strings become text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Creates an SVG element. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces every child of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Formats integer minor units for people; the API never sees these strings. */
export function money(cents, currency = 'EUR') {
  try {
    return new Intl.NumberFormat(lang(), { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** Parses "12", "12.5" or "12,50" into cents with integer arithmetic; null when it is not an amount. */
export function parseCents(text) {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text || '');
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] || '0').padEnd(2, '0'));
}

export function dateTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A calendar day "YYYY-MM-DD" (a promised delivery date) for people, without shifting it by the time zone. */
export function day(ymd) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd || '')) return ymd || '';
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${ymd}T00:00:00Z`));
}

/** Today plus `days` as "YYYY-MM-DD" in the browser's time zone (what an `<input type=date>` holds). */
export function isoDay(days = 0) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function percent(p) {
  return new Intl.NumberFormat(lang(), { style: 'percent', maximumFractionDigits: 2 }).format(p);
}

/** A short-lived notice in the polite live region. */
export function toast(message, kind = 'info') {
  const region = document.getElementById('toasts');
  const note = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  region.append(note);
  setTimeout(() => note.remove(), kind === 'error' ? 8000 : 4500);
}

/**
 * Shows an API error inside `box` (a `.notice` element) with field-level messages, and marks the named inputs
 * of `form` invalid so a keyboard user lands on them.
 */
export function showError(box, error, form) {
  if (error?.name === 'AbortError') return;
  if (form) clearInvalid(form);
  const items = (error.errors || []).map((e) => h('li', {}, fieldLabel(e.field), ': ', e.message));
  replace(box, h('strong', {}, errorMessage(error)), items.length ? h('ul', {}, items) : null);
  box.className = 'notice notice-error';
  box.setAttribute('role', 'alert');
  box.hidden = false;
  if (form) {
    for (const e of error.errors || []) {
      const input = form.querySelector(`[name="${CSS.escape(e.field)}"]`);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
  }
}

/** Takes the invalid marks of an earlier error off the inputs of `form` (after a successful send). */
export function clearInvalid(form) {
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

function fieldLabel(field) {
  const key = `field.${field}`;
  const text = t(key);
  return text === key ? field : text;
}

export function showOk(box, ...content) {
  replace(box, ...content);
  box.className = 'notice notice-ok';
  box.setAttribute('role', 'status');
  box.hidden = false;
}

export function notice() {
  return h('div', { class: 'notice', hidden: true });
}

/** Runs `work` with `button` disabled and a busy state, so a double click never sends twice. */
export async function busy(button, work) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A labelled form field. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const hintEl = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hintEl);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * A product's picture: its image when it is an https URL or one of this page's own files (`/web/…`, the demo
 * catalog's drawings), else a tile with its initial. Product texts carry the catalog's language, so the title's
 * initial is taken as written.
 */
export function productImage(product, className = 'thumb') {
  const url = product.image_url || '';
  const fallback = h('div', { class: `${className} thumb-fallback`, 'aria-hidden': 'true' },
    (product.title || '?').trim().charAt(0).toUpperCase());
  if (!/^https:\/\//i.test(url) && !/^\/web\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(url)) return fallback;
  const img = h('img', { class: className, src: url, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer' });
  img.addEventListener('error', () => img.replaceWith(fallback));
  return img;
}

/** Attributes for text that comes from the catalog (titles, descriptions): its language, for hyphenation. */
export const catalogText = { lang: catalogLang };

/** The heading of a view; focused after navigation so screen readers and keyboards start there. */
export function title(text, attrs = {}) {
  return h('h1', { tabindex: '-1', class: 'view-title', ...attrs }, text);
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}

/**
 * Describes the discount of a coupon or campaign (`{discount, min_spend_cents, max_discount_cents?, currency}`):
 * "10 % off · up to €5.00 · from €15.00".
 */
export function discountText(offer) {
  if (!offer?.discount) return '';
  const { discount, currency } = offer;
  const value = discount.type === 'percent' ? percent(discount.value / 100) : money(discount.value, currency);
  const parts = [t('coupons.off', { value })];
  if (discount.type === 'percent' && offer.max_discount_cents > 0) parts.push(t('coupons.cap', { amount: money(offer.max_discount_cents, currency) }));
  if (offer.min_spend_cents > 0) parts.push(t('coupons.min_spend', { amount: money(offer.min_spend_cents, currency) }));
  return parts.join(' · ');
}

/**
 * What a coupon is called: its campaign's name when the API gives it, else its code, else where it came from
 * ("Won in a game") — never its `cpn_…` id.
 */
export function couponName(coupon) {
  return coupon.name || coupon.campaign_name || coupon.code || t(`coupons.source.${coupon.source}`);
}

/** A list with "more" paging over `{data, next_cursor}`. */
export function pagedList(path, params, renderItem, emptyText, testid, className = 'rows') {
  const list = h('ul', { class: className, 'data-testid': testid });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.more'));
  let cursor = null;
  async function load(reset) {
    if (reset) cursor = null;
    const page = await get(path, { ...params, limit: 20, cursor });
    if (reset) list.replaceChildren();
    for (const item of page.data) list.append(renderItem(item));
    if (reset && page.data.length === 0) list.append(h('li', { class: 'empty' }, emptyText));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => busy(more, () => load(false)));
  return { element: h('div', {}, list, more), load, list };
}

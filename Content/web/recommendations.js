// Recommendations (API.md §21): "bought together" under a product and "for you" on the shop page. The EU Digital
// Services Act (Art. 27, 38) asks a recommender to say on what it bases its choice and to offer a choice not based on
// profiling: "for you" says which of the two lists it shows, gives each item its reason, and links to the privacy
// centre where the `personalization` consent switches between them. Both sections are extras: a server without the
// routes, or any error, leaves them out and the page works as before.
import { get, seg, session } from './api.js';
import { t } from './i18n.js';
import { h, replace, money, productImage, catalogText } from './ui.js';

const LIMIT = 4;

/** A reason whose sentence names a catalog title: the title keeps the catalog's language (WCAG 3.1.2). */
function reasonWithTitle(key, productTitle) {
  const [before, after = ''] = t(key, { title: '\u0000' }).split('\u0000');
  return [before, h('span', catalogText, productTitle), after];
}

function card(rec, reason) {
  const p = rec.product;
  return h('li', { class: 'rec-card', 'data-rec-id': p.id, 'data-reason': rec.reason },
    h('a', { href: `#/product/${seg(p.id)}`, class: 'product-link' }, productImage(p, 'thumb rec-thumb'),
      h('span', { class: 'product-title', ...catalogText }, p.title)),
    h('span', { class: 'price' }, money(p.price_cents, p.currency)),
    reason ? h('small', { class: 'rec-reason', 'data-testid': 'rec-reason' }, reason) : null);
}

/**
 * "Often bought together" for a product page: a section that fills itself once the list is read (busy until then,
 * so a test or a screen reader knows it is coming) and removes itself when there is nothing to show.
 */
export function boughtTogether(productId) {
  const section = h('section', { class: 'recs', 'aria-labelledby': 'recs-title', 'aria-busy': 'true', 'data-testid': 'bought-together' });
  get(`/v1/products/${seg(productId)}/recommendations`, { limit: LIMIT }).then((answer) => {
    const items = answer.data || [];
    if (!items.length) { section.remove(); return; }
    const together = items.some((r) => r.reason === 'bought_together');
    // A list of one kind says its reason once, in the heading; a mixed one says it per item.
    const mixed = together && items.some((r) => r.reason !== 'bought_together');
    replace(section, h('h2', { id: 'recs-title' }, t(together ? 'rec.together_title' : 'rec.category_title')),
      h('p', { class: 'hint' }, t('rec.together_about')),
      h('ul', { class: 'rec-grid' }, items.map((r) => card(r, mixed ? t(`rec.reason.${r.reason}`) : null))));
  }).catch(() => section.remove()).finally(() => section.removeAttribute('aria-busy'));
  return section;
}

/**
 * "For you" for the shop page of a signed-in shopper: personal items (with the consent) each with the purchase it
 * comes from, else the best sellers for everyone; either way the way to switch, in the privacy centre.
 */
export function forYou() {
  if (!session.signedIn) return null;
  const section = h('section', { class: 'recs card', 'aria-labelledby': 'for-you-title', 'aria-busy': 'true', 'data-testid': 'for-you' },
    h('h2', { id: 'for-you-title' }, t('rec.for_you')));
  (async () => {
    const answer = await get('/v1/me/recommendations', { limit: LIMIT });
    const items = answer.data || [];
    const personal = answer.personalized === true;
    // The purchases the reasons name, read once each (a product no longer sold is named generically).
    const ids = [...new Set(items.map((r) => r.product_id).filter(Boolean))];
    const titles = new Map(await Promise.all(ids.map((id) => get(`/v1/products/${seg(id)}`)
      .then((p) => [id, p.title], () => [id, null]))));
    const reason = (r) => {
      if (r.reason === 'because_you_bought') {
        const bought = titles.get(r.product_id);
        return bought ? reasonWithTitle('rec.reason.because_you_bought', bought) : t('rec.reason.because_you_bought_unknown');
      }
      return t(`rec.reason.${r.reason}`);
    };
    section.dataset.personalized = String(personal);
    replace(section, h('h2', { id: 'for-you-title' }, t('rec.for_you')),
      h('p', { class: 'hint', 'data-testid': 'for-you-about' }, t(personal ? 'rec.personal_about' : 'rec.popular_about')),
      items.length ? h('ul', { class: 'rec-grid' }, items.map((r) => card(r, reason(r)))) : h('p', { class: 'muted' }, t('rec.none')),
      h('p', { class: 'rec-switch' }, t(personal ? 'rec.switch_off' : 'rec.switch_on'), ' ',
        h('a', { href: '#/privacy', 'data-testid': 'for-you-privacy' }, t('rec.privacy_link'))));
  })().catch(() => section.remove()).finally(() => section.removeAttribute('aria-busy'));
  return section;
}

// The accessibility statement (#/accessibility) that the European Accessibility Act asks for, and the page footer
// that links to it from every page.
import { t } from './i18n.js';
import { h, replace, title } from './ui.js';

/**
 * The statement: how far the client conforms, what is known not to (only that, so the list can be trusted), what has
 * not been tested, what helps meanwhile, what is done, and how to report a barrier.
 */
export function statement(main) {
  const list = (keys) => h('ul', {}, keys.map((key) => h('li', {}, t(key))));
  replace(main, title(t('a11y.title')),
    h('p', {}, t('a11y.intro')),
    h('h2', {}, t('a11y.status_h')), h('p', { 'data-testid': 'a11y-status' }, t('a11y.status')),
    h('h2', {}, t('a11y.gaps_h')), h('div', { 'data-testid': 'a11y-gaps' }, list(['a11y.gap_1'])),
    h('h2', {}, t('a11y.untested_h')), h('div', { 'data-testid': 'a11y-untested' }, list(['a11y.untested_1', 'a11y.untested_2'])),
    h('h2', {}, t('a11y.notes_h')), list(['a11y.note_1', 'a11y.note_2']),
    h('h2', {}, t('a11y.done_h')), list(['a11y.done_1', 'a11y.done_2', 'a11y.done_3', 'a11y.done_4', 'a11y.done_5', 'a11y.done_6', 'a11y.done_7']),
    h('h2', {}, t('a11y.contact_h')), h('p', {}, t('a11y.contact')),
    h('p', {}, h('a', { href: '#/conversations' }, t('a11y.contact_link'))),
    h('h2', {}, t('a11y.enforcement_h')), h('p', {}, t('a11y.enforcement')),
    h('p', { class: 'muted' }, t('a11y.prepared')));
}

/** The footer after <main> (made once, its texts in the current language on every call). */
export function renderFooter() {
  let footer = document.getElementById('foot');
  if (!footer) {
    footer = h('footer', { id: 'foot', class: 'foot' });
    document.getElementById('main').after(footer);
  }
  replace(footer, h('nav', { 'aria-label': t('a11y.footer_label') },
    h('a', { href: '#/accessibility', 'data-testid': 'a11y-link' }, t('a11y.footer'))));
}

// The account page (who you are, your addresses, where everything else is) and the privacy centre (API.md §16):
// consents with the text they refer to, notification settings, a download of everything, and deleting the account.
import { get, put, patch, post, del, session, intent, unavailable } from './api.js';
import { t, lang } from './i18n.js';
import { h, replace, money, notice, showError, showOk, clearInvalid, busy, title, dateTime, field, isoDay } from './ui.js';
import { addressBook } from './view-delivery.js';

export async function account(main) {
  const me = session.account || {};
  const links = [['#/inbox', 'nav.inbox'], ['#/orders', 'nav.orders'], ['#/wallet', 'nav.wallet'], ['#/coupons', 'nav.coupons'],
    ['#/conversations', 'support.title'], ['#/surveys', 'surveys.title'], ['#/privacy', 'privacy.title']];
  if (session.has('merchant')) links.push(['#/merchant', 'merchant.title']);
  if (session.has('agent')) links.push(['#/service', 'agent.title']);
  if (session.has('admin')) links.push(['#/admin/signals', 'admin.signals'], ['#/admin/feedback', 'admin.feedback']);
  const book = addressBook();
  replace(main, title(t('me.title')),
    h('div', { class: 'card me' }, h('p', { class: 'me-name' }, h('strong', {}, me.display_name || '')), h('p', { class: 'muted' }, me.email || ''),
      h('ul', { class: 'link-list' }, links.map(([href, key]) => h('li', {}, h('a', { href }, t(key)))))),
    book.element);
  await book.load();
}

// MARK: - privacy centre

/** A section that the server cannot serve yet: its heading and a calm note. */
function later(heading) {
  return h('section', { class: 'card' }, h('h2', {}, heading), h('p', { class: 'muted' }, t('common.unavailable')));
}

/** Consents per purpose, each with the notice it refers to (in the page's language) and the history of choices. */
async function consentsSection() {
  let notices;
  let state;
  try {
    [notices, state] = await Promise.all([get('/v1/privacy/notices'), get('/v1/me/consents')]);
  } catch (error) {
    if (unavailable(error)) return later(t('privacy.consents'));
    throw error;
  }
  const section = h('section', { class: 'consents', 'aria-labelledby': 'consents-title' });
  const box = notice();

  function render() {
    const current = new Map(state.data.map((c) => [c.purpose, c]));
    const cards = notices.data.map((n) => {
      const c = current.get(n.purpose) || { granted: false, notice_version: null, updated_at: null };
      const outdated = c.granted && c.notice_version && c.notice_version !== n.version;
      const grant = h('button', { type: 'button', 'data-testid': 'consent-grant' }, t(outdated ? 'privacy.agree_again' : 'privacy.agree'));
      const withdraw = h('button', { type: 'button', class: 'secondary', 'data-testid': 'consent-withdraw' }, t('privacy.withdraw'));
      const cardBox = notice();
      const choose = (button, body) => busy(button, async () => {
        try {
          await put(`/v1/me/consents/${encodeURIComponent(n.purpose)}`, body);
          state = await get('/v1/me/consents');
          render();
          toastIn(section, t(body.granted ? 'privacy.granted_ok' : 'privacy.withdrawn_ok', { title: n.title }));
        } catch (error) {
          if (error.code !== 'notice_outdated') { showError(cardBox, error); return; }
          // The text changed while the page was open: show the new one, and ask again.
          notices = await get('/v1/privacy/notices').catch(() => notices);
          render();
          showError(box, error);
        }
      });
      grant.addEventListener('click', () => choose(grant, { granted: true, notice_version: n.version }));
      withdraw.addEventListener('click', () => choose(withdraw, { granted: false }));
      return h('article', { class: 'card consent', 'data-purpose': n.purpose, 'data-granted': String(Boolean(c.granted)) },
        h('div', { class: 'row consent-head' }, h('h3', {}, n.title),
          h('span', { class: `badge ${c.granted ? 'consent-on' : 'consent-off'}`, 'data-testid': 'consent-state' }, t(c.granted ? 'privacy.granted' : 'privacy.not_granted'))),
        h('p', { class: 'notice-text', 'data-testid': 'notice-text' }, n.text),
        h('p', { class: 'hint' }, t('privacy.version', { version: n.version }),
          c.updated_at ? ` · ${t(c.granted ? 'privacy.granted_on' : 'privacy.withdrawn_on', { date: dateTime(c.updated_at) })}` : ''),
        outdated ? h('p', { class: 'notice', role: 'status' }, t('privacy.outdated', { version: c.notice_version })) : null,
        h('div', { class: 'row' }, c.granted && !outdated ? null : grant, c.granted ? withdraw : null), cardBox);
    });
    const titles = new Map(notices.data.map((n) => [n.purpose, n.title]));
    const history = state.history || [];
    replace(section, h('h2', { id: 'consents-title' }, t('privacy.consents')), h('p', { class: 'hint' }, t('privacy.consents_intro')), box, cards,
      h('details', { class: 'history', 'data-testid': 'consent-history' }, h('summary', {}, t('privacy.history', { n: history.length })),
        history.length ? h('ol', { class: 'rows' }, history.map((r) => h('li', { class: 'row-item' },
          h('span', {}, dateTime(r.created_at)), h('strong', {}, titles.get(r.purpose) || r.purpose),
          h('span', {}, t(r.granted ? 'privacy.history_granted' : 'privacy.history_withdrawn')),
          r.notice_version ? h('small', { class: 'muted' }, t('privacy.version', { version: r.notice_version })) : null,
          h('small', { class: 'muted' }, h('code', {}, r.id)))))
          : h('p', { class: 'muted' }, t('privacy.no_history'))));
  }
  render();
  return section;
}

/** A short confirmation inside `section` (the toast region is for the whole page). */
function toastIn(section, message) {
  const box = section.querySelector('.notice');
  if (box) showOk(box, message);
}

/** Time zones to offer: the browser's list where it has one, always with the account's own. */
function timeZones(currentZone) {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { zones = ['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich', 'Europe/London', 'UTC']; }
  if (!zones.includes('UTC')) zones = [...zones, 'UTC'];
  if (currentZone && !zones.includes(currentZone)) zones = [currentZone, ...zones];
  return zones;
}

/** Category toggles, quiet hours, time zone and the weekly cap on offers. */
async function settingsSection() {
  let settings;
  try {
    settings = await get('/v1/me/notification-settings');
  } catch (error) {
    if (unavailable(error)) return later(t('settings.title'));
    throw error;
  }
  const box = notice();
  const toggle = (name) => h('input', { type: 'checkbox', name, checked: Boolean(settings[name]), 'data-testid': `setting-${name}` });
  const toggles = { live: toggle('live'), social: toggle('social'), feedback: toggle('feedback') };
  const quietOn = h('input', { type: 'checkbox', name: 'quiet_hours', checked: Boolean(settings.quiet_hours), 'data-testid': 'quiet-on' });
  const start = h('input', { type: 'time', name: 'quiet_hours.start', value: settings.quiet_hours?.start || '22:00', 'data-testid': 'quiet-start' });
  const end = h('input', { type: 'time', name: 'quiet_hours.end', value: settings.quiet_hours?.end || '08:00', 'data-testid': 'quiet-end' });
  const times = h('div', { class: 'quiet-times', hidden: !settings.quiet_hours }, field(t('settings.quiet_start'), start), field(t('settings.quiet_end'), end));
  quietOn.addEventListener('change', () => { times.hidden = !quietOn.checked; });
  const zone = h('select', { name: 'time_zone', 'data-testid': 'time-zone' },
    timeZones(settings.time_zone).map((z) => h('option', { value: z, selected: z === settings.time_zone }, z.replace(/_/g, ' '))));
  const offers = h('input', { type: 'number', name: 'max_offers_per_week', min: 0, max: 20, inputmode: 'numeric', value: String(settings.max_offers_per_week), class: 'short', 'data-testid': 'max-offers' });
  const save = h('button', { type: 'submit', 'data-testid': 'settings-save' }, t('settings.save'));
  const check = (input, key) => h('label', { class: 'check' }, input, h('span', {}, h('strong', {}, t(`settings.${key}`)), h('small', { class: 'hint' }, t(`settings.${key}_hint`))));
  const form = h('form', { class: 'card settings', novalidate: true, 'data-testid': 'settings-form', 'aria-labelledby': 'settings-title' },
    h('h2', { id: 'settings-title' }, t('settings.title')),
    h('p', { class: 'hint' }, t('settings.always')),
    h('fieldset', {}, h('legend', {}, t('settings.categories')), check(toggles.live, 'live'), check(toggles.social, 'social'), check(toggles.feedback, 'feedback')),
    h('fieldset', {}, h('legend', {}, t('settings.offers')),
      field(t('field.max_offers_per_week'), offers, t('settings.max_offers_hint')),
      check(quietOn, 'quiet_hours'), times, field(t('field.time_zone'), zone, t('settings.time_zone_hint'))),
    box, save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      const cap = Number(offers.value);
      const errors = [];
      if (!Number.isInteger(cap) || cap < 0 || cap > 20 || offers.value.trim() === '') errors.push({ field: 'max_offers_per_week', message: t('settings.max_offers_hint') });
      const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
      if (quietOn.checked && !hhmm.test(start.value)) errors.push({ field: 'quiet_hours.start', message: t('settings.time_format') });
      if (quietOn.checked && !hhmm.test(end.value)) errors.push({ field: 'quiet_hours.end', message: t('settings.time_format') });
      if (errors.length) { showError(box, { code: 'invalid_request', errors }, form); return; }
      const body = {
        live: toggles.live.checked, social: toggles.social.checked, feedback: toggles.feedback.checked,
        quiet_hours: quietOn.checked ? { start: start.value, end: end.value } : null,
        time_zone: zone.value, max_offers_per_week: cap,
      };
      try {
        settings = await patch('/v1/me/notification-settings', body);
        clearInvalid(form);
        showOk(box, t('settings.saved'));
      } catch (error) {
        showError(box, error, form);
      }
    });
  });
  return form;
}

/** GET /v1/me/export saved as a JSON file (GDPR Art. 15 and 20). */
function exportSection() {
  const button = h('button', { type: 'button', class: 'secondary', 'data-testid': 'export' }, t('privacy.export'));
  const box = notice();
  button.addEventListener('click', () => busy(button, async () => {
    try {
      const data = await get('/v1/me/export');
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `basar-export-${isoDay(0)}.json`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      showOk(box, t('privacy.exported', { size: new Intl.NumberFormat(lang()).format(Math.ceil(blob.size / 1024)) }));
      box.dataset.testid = 'export-done';
    } catch (error) {
      showError(box, unavailable(error) ? { code: 'not_implemented' } : error);
    }
  }));
  return h('section', { class: 'card', 'aria-labelledby': 'export-title' }, h('h2', { id: 'export-title' }, t('privacy.export_title')),
    h('p', {}, t('privacy.export_intro')), button, box);
}

/** Deleting the account (GDPR Art. 17): a clear warning, the password, and a way to empty the wallet first. */
function deleteSection(go) {
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', 'data-testid': 'delete-password' });
  const understood = h('input', { type: 'checkbox', name: 'understood', 'data-testid': 'delete-confirm' });
  const submit = h('button', { type: 'submit', class: 'danger', disabled: true, 'data-testid': 'delete-account' }, t('erase.submit'));
  const box = notice();
  const payoutBox = h('div', { class: 'payout', hidden: true, 'data-testid': 'payout-box' });
  const payout = intent();
  understood.addEventListener('change', () => { submit.disabled = !understood.checked; });

  /** The wallet must be empty (409 wallet_not_empty): offer to pay the balance out (sandbox, API.md §24). */
  async function offerPayout() {
    let wallet;
    try { wallet = await get('/v1/wallet'); } catch (error) { showError(box, error); return; }
    const amount = money(wallet.balance_cents, wallet.currency);
    const button = h('button', { type: 'button', 'data-testid': 'payout' }, t('erase.pay_out', { amount }));
    const payoutNote = notice();
    button.addEventListener('click', () => busy(button, async () => {
      try {
        const tx = await post('/v1/wallet/payouts', { amount_cents: wallet.balance_cents, method: 'sandbox' }, { key: payout.key });
        payout.settle();
        button.hidden = true;
        showOk(payoutNote, t('erase.paid_out', { amount: money(Math.abs(tx.amount_cents), tx.currency) }));
        box.hidden = true;
      } catch (error) {
        payout.settle(error);
        showError(payoutNote, unavailable(error) ? { code: 'not_implemented' } : error);
      }
    }));
    replace(payoutBox, h('p', { role: 'alert' }, t('erase.wallet_left', { amount })), button, payoutNote);
    payoutBox.hidden = false;
    button.focus();
  }

  const form = h('form', { class: 'card danger-zone', novalidate: true, 'data-testid': 'delete-form', 'aria-labelledby': 'erase-title' },
    h('h2', { id: 'erase-title' }, t('erase.title')),
    h('p', { class: 'warning', role: 'note' }, h('strong', {}, t('erase.warning'))),
    h('ul', {}, ['erase.gone', 'erase.logout', 'erase.kept', 'erase.coupons', 'erase.wallet'].map((k) => h('li', {}, t(k)))),
    h('p', { class: 'hint' }, t('erase.export_first')),
    field(t('field.password'), password),
    h('label', { class: 'check' }, understood, h('span', {}, t('erase.understood'))),
    box, payoutBox, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!understood.checked) return;
    busy(submit, async () => {
      if (!password.value) {
        showError(box, { code: 'invalid_request', errors: [{ field: 'password', message: t('erase.password_needed') }] }, form);
        password.focus();
        return;
      }
      try {
        await del('/v1/me', { body: { password: password.value } });
        // Leave the signed-in page first, so that signing out does not send this tab to the login.
        go('#/erased');
        session.clear();
      } catch (error) {
        if (error.code === 'wallet_not_empty') {
          // Not a mistake of the person: the next step, said once, with the button to take it.
          box.hidden = true;
          await offerPayout();
          return;
        }
        showError(box, unavailable(error) ? { code: 'not_implemented' } : error, form);
        if (error.code === 'invalid_credentials') password.focus();
      }
    });
  });
  return form;
}

export async function privacy(main, { go }) {
  const sections = await Promise.all([consentsSection(), settingsSection()]);
  replace(main, title(t('privacy.title')), h('p', { class: 'lead' }, t('privacy.intro')),
    ...sections, exportSection(), deleteSection(go));
}

/** After an erasure: the account is gone and the tab is signed out. */
export function erased(main) {
  replace(main, title(t('erase.done_title')), h('div', { class: 'notice notice-ok', role: 'status', 'data-testid': 'erased' }, t('erase.done')),
    h('p', {}, h('a', { href: '#/' }, t('nav.shop'))));
}

// Admin experiments (API.md §21, §24): the list with a form that creates and starts one, and each experiment's page
// with its commitment (the salt's hash, the salt after the stop, checked here in the browser), the stop, and the
// results per variant as a table first (the figures themselves) and a chart of the same figures after it.
import { get, post, seg, unavailable } from './api.js';
import { t, lang } from './i18n.js';
import { h, svg, replace, money, notice, showError, showOk, busy, title, dateTime, field, percent, toast, pagedList, clearInvalid } from './ui.js';
import { needsAdmin, tabs } from './view-admin.js';

const KEY = /^[a-z0-9-]{1,40}$/;
const VARIANT_KEY = /^[a-z0-9_-]{1,40}$/;
const MIN_VARIANTS = 2;
const MAX_VARIANTS = 5;
const MAX_WEIGHT = 10000;

const count = (n) => new Intl.NumberFormat(lang()).format(n || 0);

/** A p-value for people: three significant digits, and a bound below what that can show. */
function pValue(p) {
  if (p < 0.0001) return `< ${new Intl.NumberFormat(lang()).format(0.0001)}`;
  return new Intl.NumberFormat(lang(), { maximumSignificantDigits: 3 }).format(p);
}

function statusBadge(experiment) {
  return h('span', { class: `badge exp-${experiment.status}`, 'data-testid': 'exp-status', 'data-status': experiment.status },
    t(`exp.status.${experiment.status}`));
}

function weightsText(experiment) {
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0) || 1;
  return experiment.variants.map((v) => `${v.key}: ${t('exp.share', { weight: count(v.weight), share: percent(v.weight / total) })}`).join(' · ');
}

/**
 * Shows `error` in `box` with each field named as the form labels it (variant fields by their number), and marks the
 * inputs it names invalid.
 */
function explain(box, error, form) {
  const label = (name) => {
    const m = /^variants\[(\d+)\]\.(key|weight)$/.exec(name || '');
    if (m) return t(m[2] === 'key' ? 'exp.variant_key' : 'exp.variant_weight', { n: Number(m[1]) + 1 });
    return name === 'key' ? t('field.key') : name;
  };
  showError(box, { ...error, errors: (error.errors || []).map((e) => ({ ...e, field: label(e.field) })) });
  clearInvalid(form);
  for (const e of error.errors || []) form.querySelector(`[name="${CSS.escape(e.field)}"]`)?.setAttribute('aria-invalid', 'true');
  box.querySelector('strong')?.setAttribute('tabindex', '-1');
}

/** The form's own checks, the same rules as the server's (§21, §24), so most mistakes are named before sending. */
function check(body) {
  const errors = [];
  if (!KEY.test(body.key)) errors.push({ field: 'key', message: t('exp.err.key') });
  const seen = new Set();
  body.variants.forEach((v, i) => {
    if (!VARIANT_KEY.test(v.key)) errors.push({ field: `variants[${i}].key`, message: t('exp.err.variant_key') });
    else if (seen.has(v.key)) errors.push({ field: `variants[${i}].key`, message: t('exp.err.duplicate') });
    seen.add(v.key);
    if (!Number.isInteger(v.weight) || v.weight < 1 || v.weight > MAX_WEIGHT) errors.push({ field: `variants[${i}].weight`, message: t('exp.err.weight') });
  });
  return errors;
}

function createForm(go) {
  const variants = [{ key: 'control', weight: '1' }, { key: 'treatment', weight: '1' }];
  const keyInput = h('input', { name: 'key', autocomplete: 'off', spellcheck: 'false', maxlength: 40, 'data-testid': 'exp-key' });
  const description = h('input', { name: 'description', autocomplete: 'off', maxlength: 500, 'data-testid': 'exp-description' });
  const rows = h('div', { class: 'variant-rows', 'data-testid': 'exp-variants' });
  const addButton = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'exp-add-variant' }, t('exp.add_variant'));
  const submit = h('button', { type: 'submit', 'data-testid': 'exp-create' }, t('exp.create'));
  const box = notice();

  function renderRows() {
    replace(rows, variants.map((v, i) => {
      const keyField = h('input', { name: `variants[${i}].key`, value: v.key, autocomplete: 'off', spellcheck: 'false', maxlength: 40, 'data-testid': `variant-key-${i}` });
      const weightField = h('input', { name: `variants[${i}].weight`, value: v.weight, type: 'number', min: 1, max: MAX_WEIGHT, step: 1, inputmode: 'numeric', 'data-testid': `variant-weight-${i}` });
      keyField.addEventListener('input', () => { v.key = keyField.value; });
      weightField.addEventListener('input', () => { v.weight = weightField.value; });
      const remove = variants.length > MIN_VARIANTS ? h('button', {
        type: 'button', class: 'link-button', 'aria-label': t('exp.remove_variant', { n: i + 1 }),
        onclick: () => { variants.splice(i, 1); renderRows(); (rows.querySelector(`[name="variants[${Math.max(0, i - 1)}].key"]`) || addButton).focus(); },
      }, '✕') : null;
      return h('div', { class: 'variant-row' }, field(t('exp.variant_key', { n: i + 1 }), keyField), field(t('exp.variant_weight', { n: i + 1 }), weightField), remove);
    }));
    addButton.hidden = variants.length >= MAX_VARIANTS;
  }
  addButton.addEventListener('click', () => {
    variants.push({ key: '', weight: '1' });
    renderRows();
    rows.querySelector(`[name="variants[${variants.length - 1}].key"]`).focus();
  });
  renderRows();

  const form = h('form', { class: 'card exp-form', novalidate: true, 'aria-labelledby': 'exp-new-title' },
    h('h2', { id: 'exp-new-title' }, t('exp.new')),
    field(t('field.key'), keyInput, t('exp.key_hint')), field(t('exp.description'), description),
    h('fieldset', { class: 'variants' }, h('legend', {}, t('field.variants')), h('p', { class: 'hint' }, t('exp.variants_hint')), rows, addButton),
    box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const body = { key: keyInput.value.trim(), variants: variants.map((v) => ({ key: v.key.trim(), weight: Number(v.weight) })) };
      if (description.value.trim()) body.description = description.value.trim();
      const errors = check(body);
      if (errors.length) {
        explain(box, { code: 'invalid_request', errors }, form);
        form.querySelector('[aria-invalid=true]')?.focus();
        return;
      }
      try {
        const created = await post('/v1/admin/experiments', body);
        toast(t('exp.created', { key: created.key }), 'ok');
        go(`#/admin/experiments/${seg(created.key)}`);
      } catch (error) {
        explain(box, error, form);
        if (error.code === 'key_taken') keyInput.setAttribute('aria-invalid', 'true');
        (form.querySelector('[aria-invalid=true]') || box.querySelector('strong'))?.focus();
      }
    });
  });
  return form;
}

function listItem(experiment) {
  return h('li', { class: 'row-item exp-item', 'data-experiment': experiment.key },
    h('a', { href: `#/admin/experiments/${seg(experiment.key)}`, class: 'exp-link' }, h('code', {}, experiment.key)),
    statusBadge(experiment),
    experiment.description ? h('span', { class: 'exp-description' }, experiment.description) : null,
    h('small', { class: 'muted exp-meta' }, t('exp.started', { date: dateTime(experiment.created_at) }),
      experiment.stopped_at ? ` · ${t('exp.stopped_at', { date: dateTime(experiment.stopped_at) })}` : '',
      ` · ${weightsText(experiment)}`));
}

/** `#/admin/experiments`: every experiment, newest first, and the form for a new one. */
export async function list(main, { go }) {
  if (needsAdmin(main, t('admin.experiments'))) return;
  const experiments = pagedList('/v1/admin/experiments', {}, listItem, t('exp.none'), 'experiments');
  try {
    await experiments.load(true);
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, tabs('experiments'), title(t('admin.experiments')), h('p', { class: 'muted' }, t('common.unavailable')));
    return;
  }
  replace(main, tabs('experiments'), title(t('admin.experiments')), h('p', { class: 'hint' }, t('exp.intro')),
    createForm(go),
    h('section', { class: 'card', 'aria-labelledby': 'exp-all-title' }, h('h2', { id: 'exp-all-title' }, t('exp.all')), experiments.element));
}

/** SHA-256 hex of `text` as UTF-8, or null where the browser offers no Web Crypto (a page not served securely). */
async function sha256Hex(text) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function commitment(experiment) {
  const saltLine = h('dd', { 'data-testid': 'exp-salt' }, experiment.salt ? h('code', { class: 'hash' }, experiment.salt) : h('span', { class: 'muted' }, t('exp.salt_hidden')));
  const verdict = h('p', { class: 'hint', 'data-testid': 'exp-salt-check', hidden: true });
  if (experiment.salt) {
    sha256Hex(experiment.salt).then((hex) => {
      if (hex === null) return;
      verdict.textContent = t(hex === experiment.salt_hash ? 'exp.salt_ok' : 'exp.salt_bad');
      verdict.dataset.matches = String(hex === experiment.salt_hash);
      verdict.hidden = false;
    }).catch(() => {});
  }
  return h('section', { class: 'card', 'aria-labelledby': 'exp-commit-title' },
    h('h2', { id: 'exp-commit-title' }, t('exp.weights')),
    h('p', { 'data-testid': 'exp-weights' }, weightsText(experiment)),
    h('dl', { class: 'facts exp-facts' },
      h('dt', {}, t('exp.salt_hash')), h('dd', { 'data-testid': 'exp-salt-hash' }, h('code', { class: 'hash' }, experiment.salt_hash)),
      h('dt', {}, t('exp.salt')), saltLine),
    verdict);
}

/** Conversion per variant as a bar and its interval as a line with end marks; hidden from screen readers, whose
 * table comes before it with the same figures. */
function ciChart(variants) {
  const rowH = 30;
  const labelW = 90;
  const plotW = 210;
  const top = Math.max(0.05, ...variants.map((v) => v.conversion_ci95?.[1] || v.conversion_rate || 0));
  const x = (value) => labelW + (Math.min(value, top) / top) * plotW;
  return h('figure', { class: 'exp-chart', 'aria-hidden': 'true' },
    svg('svg', { viewBox: `0 0 330 ${rowH * variants.length + 6}`, class: 'bars', 'data-testid': 'exp-chart' },
      variants.map((v, i) => {
        const y = i * rowH;
        const parts = [svg('text', { x: 0, y: y + 19, class: 'bar-label' }, v.key.length > 12 ? `${v.key.slice(0, 11)}…` : v.key),
          svg('rect', { x: labelW, y: y + 8, width: Math.max(v.conversion_rate > 0 ? 2 : 0, x(v.conversion_rate) - labelW), height: 14, rx: 3, class: 'fill-promoter', 'data-variant': v.key })];
        if (v.conversion_ci95) {
          const [low, high] = v.conversion_ci95;
          parts.push(svg('line', { x1: x(low), x2: x(high), y1: y + 15, y2: y + 15, class: 'ci' }),
            svg('line', { x1: x(low), x2: x(low), y1: y + 9, y2: y + 21, class: 'ci' }),
            svg('line', { x1: x(high), x2: x(high), y1: y + 9, y2: y + 21, class: 'ci' }));
        }
        parts.push(svg('text', { x: Math.min(x(v.conversion_ci95?.[1] ?? v.conversion_rate) + 6, 300), y: y + 19, class: 'bar-value' }, percent(v.conversion_rate)));
        return parts;
      })),
    h('figcaption', { class: 'hint' }, t('exp.chart_note')));
}

function resultsTable(experiment, results) {
  const weights = Object.fromEntries(experiment.variants.map((v) => [v.key, v.weight]));
  const column = (key) => h('th', { scope: 'col' }, t(`exp.col.${key}`));
  const cell = (key, value, testid) => h('td', { 'data-label': t(`exp.col.${key}`), 'data-testid': testid }, value);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-table', 'data-testid': 'exp-results' },
    h('caption', { class: 'sr-only' }, t('exp.results')),
    h('thead', {}, h('tr', {}, ['variant', 'weight', 'exposed', 'converted', 'conversion', 'revenue', 'per_exposed'].map(column))),
    h('tbody', {}, results.variants.map((v) => h('tr', { 'data-variant': v.key },
      h('th', { scope: 'row' }, h('code', {}, v.key)),
      cell('weight', count(weights[v.key]), 'weight'),
      cell('exposed', count(v.exposed), 'exposed'),
      cell('converted', count(v.converted), 'converted'),
      cell('conversion', [h('strong', {}, percent(v.conversion_rate)), ' ', h('span', { class: 'muted' }, v.conversion_ci95
        ? `(${t('exp.ci', { low: percent(v.conversion_ci95[0]), high: percent(v.conversion_ci95[1]) })})` : `(${t('exp.no_ci')})`)], 'conversion'),
      cell('revenue', money(v.revenue_cents, results.currency), 'revenue'),
      cell('per_exposed', money(v.revenue_per_exposed_cents, results.currency), 'per-exposed'))))));
}

function resultsView(experiment, results) {
  const srm = h('p', { class: `notice ${results.srm_alert ? 'notice-error' : 'notice-ok'}`, 'data-testid': 'exp-srm', 'data-alert': String(results.srm_alert) },
    results.srm_alert ? h('strong', {}, t('exp.srm_alert', { p: pValue(results.srm_p_value) })) : t('exp.srm_ok', { p: pValue(results.srm_p_value) }));
  return [srm, resultsTable(experiment, results), ciChart(results.variants)];
}

/** `#/admin/experiments/{key}`: the commitment, the stop, and the results per variant. */
export async function experiment(main, { params }) {
  if (needsAdmin(main, t('admin.experiments'))) return;
  const key = params[0];
  let [current, results] = await Promise.all([get(`/v1/admin/experiments/${seg(key)}`), get(`/v1/admin/experiments/${seg(key)}/results`)]);
  const box = notice();
  const resultsBox = h('div', { 'data-testid': 'exp-results-box' }, resultsView(current, results));
  const reload = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'exp-reload' }, t('exp.reload'));
  reload.addEventListener('click', () => busy(reload, async () => {
    try {
      results = await get(`/v1/admin/experiments/${seg(key)}/results`);
      replace(resultsBox, resultsView(current, results));
      box.hidden = true;
    } catch (error) { showError(box, error); }
  }));
  const stopArea = h('div', { class: 'exp-stop' });
  const heading = title(current.key, { 'data-testid': 'exp-title' });

  function renderHeader() {
    return h('div', { class: 'row exp-head' }, statusBadge(current),
      h('small', { class: 'muted' }, t('exp.started', { date: dateTime(current.created_at) }),
        current.stopped_at ? ` · ${t('exp.stopped_at', { date: dateTime(current.stopped_at) })}` : ''));
  }
  const head = h('div', {}, renderHeader());
  const commit = h('div', {}, commitment(current));

  function renderStop() {
    if (current.status !== 'running') { replace(stopArea); return; }
    const stop = h('button', { type: 'button', class: 'danger', 'data-testid': 'exp-stop' }, t('exp.stop'));
    stop.addEventListener('click', () => {
      const yes = h('button', { type: 'button', class: 'danger', 'data-testid': 'exp-stop-yes' }, t('exp.stop_yes'));
      const no = h('button', { type: 'button', class: 'secondary', 'data-testid': 'exp-stop-cancel' }, t('exp.cancel'));
      no.addEventListener('click', () => { renderStop(); stopArea.querySelector('button').focus(); });
      yes.addEventListener('click', () => busy(yes, async () => {
        try {
          current = await post(`/v1/admin/experiments/${seg(key)}/stop`);
          replace(head, renderHeader());
          replace(commit, commitment(current));
          renderStop();
          showOk(box, t('exp.stopped_ok'));
          box.setAttribute('tabindex', '-1');
          box.focus();
        } catch (error) { showError(box, error); }
      }));
      replace(stopArea, h('div', { role: 'group', 'aria-label': t('exp.stop_confirm', { key }), class: 'row' },
        h('strong', {}, t('exp.stop_confirm', { key })), yes, no));
      yes.focus();
    });
    replace(stopArea, h('p', { class: 'hint' }, t('exp.stop_hint')), stop);
  }
  renderStop();

  replace(main, h('p', {}, h('a', { href: '#/admin/experiments' }, '← ', t('exp.back'))), tabs('experiments'), heading, head,
    current.description ? h('p', { class: 'exp-text', 'data-testid': 'exp-description' }, current.description) : null,
    stopArea, box, commit,
    h('section', { class: 'card', 'aria-labelledby': 'exp-results-title' }, h('h2', { id: 'exp-results-title' }, t('exp.results')),
      h('p', { class: 'hint' }, t('exp.results_intro')), h('div', { class: 'row' }, reload), resultsBox));
}

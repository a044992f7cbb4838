// Admin insights: the signal rules' counters (API.md §17, §24) and the feedback report (§19) with an NPS trend by
// week and the promoter/passive/detractor comparison, both drawn here as SVG (no chart library), each with its figures
// as a data table for keyboards and screen readers.
import { get, session, unavailable } from './api.js';
import { t, lang } from './i18n.js';
import { h, svg, replace, money, notice, showError, busy, title, dateTime, field, percent } from './ui.js';
import { duration } from './support.js';

/** The shipped rules (API.md §17) have a name and a description here; any other is shown by its code. */
const SIGNAL_RULES = ['abandoned_cart', 'login_help', 'delivery_delay', 'host_live'];
const WEEKS = 8;
const DAY_MS = 24 * 3600 * 1000;

export function needsAdmin(main, heading) {
  if (session.has('admin')) return false;
  replace(main, title(heading), h('div', { class: 'notice notice-error', role: 'alert' }, t('admin.need_role')));
  return true;
}

export function tabs(current) {
  return h('nav', { class: 'chips', 'aria-label': t('admin.sections') }, [['signals', 'admin.signals'], ['feedback', 'admin.feedback'], ['experiments', 'admin.experiments']].map(([name, key]) => h('a', {
    href: `#/admin/${name}`, class: 'chip', 'aria-current': name === current ? 'page' : null,
  }, t(key))));
}

const count = (n) => new Intl.NumberFormat(lang()).format(n || 0);
const rate = (converted, accounts) => (accounts ? converted / accounts : 0);

/** A figure in a `.stats` grid. */
function stat(label, value, testid) {
  return h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': testid }, value));
}

/** A horizontal bar for a fraction from 0 to 1 (its width set through the CSSOM, which the CSP allows). */
function bar(fraction, className) {
  const fill = h('div', { class: `bar-fill ${className}` });
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return h('div', { class: 'bar', 'aria-hidden': 'true' }, fill);
}

// MARK: - signals

function ruleCard(r) {
  const treated = rate(r.treated?.converted, r.treated?.accounts);
  const holdout = rate(r.holdout?.converted, r.holdout?.accounts);
  const known = SIGNAL_RULES.includes(r.rule);
  const held = ['no_consent', 'setting_off', 'cap', 'holdout'];
  const points = new Intl.NumberFormat(lang(), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format((treated - holdout) * 100);
  return h('article', { class: 'card rule', 'data-rule': r.rule, 'aria-labelledby': `rule-${r.rule}` },
    h('h2', { id: `rule-${r.rule}` }, known ? t(`admin.rule.${r.rule}`) : r.rule, ' ', h('code', { class: 'muted' }, r.rule)),
    known ? h('p', { class: 'hint' }, t(`admin.rule_about.${r.rule}`)) : null,
    h('dl', { class: 'stats' },
      stat(t('admin.triggered'), count(r.triggered), 'triggered'), stat(t('admin.sent'), count(r.sent), 'sent'),
      stat(t('admin.converted'), count(r.converted), 'converted'), stat(t('admin.revenue'), money(r.revenue_cents, r.currency), 'revenue')),
    h('h3', {}, t('admin.held_back')),
    h('dl', { class: 'facts', 'data-testid': 'suppressed' }, held.map((reason) => [h('dt', {}, t(`admin.suppressed.${reason}`)),
      h('dd', { 'data-reason': reason }, count(r.suppressed?.[reason]))]),
    h('dt', {}, t('admin.suppressed.quiet_hours_waiting')), h('dd', { 'data-reason': 'quiet_hours_waiting' }, count(r.suppressed?.quiet_hours_waiting))),
    h('h3', {}, t('admin.uplift')),
    r.holdout?.accounts ? h('div', { class: 'compare', 'data-testid': 'compare' },
      h('p', { class: 'compare-row' }, h('span', {}, t('admin.treated')), bar(treated, 'treated'),
        h('span', { 'data-testid': 'treated-rate' }, percent(treated), ' ', h('small', { class: 'muted' }, t('admin.of', { n: count(r.treated.converted), of: count(r.treated.accounts) })))),
      h('p', { class: 'compare-row' }, h('span', {}, t('admin.holdout')), bar(holdout, 'holdout'),
        h('span', { 'data-testid': 'holdout-rate' }, percent(holdout), ' ', h('small', { class: 'muted' }, t('admin.of', { n: count(r.holdout.converted), of: count(r.holdout.accounts) })))),
      h('p', { class: 'hint' }, t('admin.uplift_points', { points })))
      : h('p', { class: 'hint', 'data-testid': 'compare' }, r.treated?.accounts
        ? t('admin.no_holdout', { rate: percent(treated), n: count(r.treated.converted), of: count(r.treated.accounts) }) : t('admin.nothing_yet')));
}

/** `#/admin/signals`: per rule what triggered, was sent, held back and why, and what it brought in. */
export async function signals(main) {
  if (needsAdmin(main, t('admin.signals'))) return;
  const content = h('div', {});
  const stamp = h('p', { class: 'hint', 'data-testid': 'as-of' });
  const reload = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'reload' }, t('admin.reload'));
  const box = notice();
  async function load() {
    const rules = (await get('/v1/admin/signals')).data;
    const sum = (pick) => rules.reduce((total, r) => total + (pick(r) || 0), 0);
    const currency = rules[0]?.currency || 'EUR';
    replace(content,
      h('dl', { class: 'stats totals-all', 'data-testid': 'signal-totals' },
        stat(t('admin.triggered'), count(sum((r) => r.triggered)), 'total-triggered'), stat(t('admin.sent'), count(sum((r) => r.sent)), 'total-sent'),
        stat(t('admin.converted'), count(sum((r) => r.converted)), 'total-converted'), stat(t('admin.revenue'), money(sum((r) => r.revenue_cents), currency), 'total-revenue')),
      rules.length ? rules.map(ruleCard) : h('p', { class: 'muted' }, t('admin.no_rules')));
    stamp.textContent = t('admin.as_of', { date: dateTime(new Date().toISOString()) });
  }
  reload.addEventListener('click', () => busy(reload, async () => { try { await load(); box.hidden = true; } catch (error) { showError(box, error); } }));
  try {
    await load();
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, tabs('signals'), title(t('admin.signals')), h('p', { class: 'muted' }, t('common.unavailable')));
    return;
  }
  replace(main, tabs('signals'), title(t('admin.signals')), h('p', { class: 'hint' }, t('admin.signals_intro')),
    h('div', { class: 'row' }, stamp, reload), box, content);
}

// MARK: - feedback

/** "YYYY-MM-DD" of a Date in the browser's time zone. */
function ymd(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight of a "YYYY-MM-DD" as an RFC 3339 timestamp (UTC), or null. */
function midnight(text, plusDays = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
}

const signed = (n) => new Intl.NumberFormat(lang(), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(n);
const oneDecimal = (n) => new Intl.NumberFormat(lang(), { maximumFractionDigits: 2 }).format(n);
const shortDay = (d) => new Intl.DateTimeFormat(lang(), { day: 'numeric', month: 'numeric' }).format(d);

/** Promoters, passives and detractors as one stacked bar. */
function npsSplit(nps) {
  const total = nps.responses || 0;
  const parts = [['promoters', 'promoter'], ['passives', 'passive'], ['detractors', 'detractor']];
  let x = 0;
  const rects = total ? parts.map(([key, group]) => {
    const w = (nps[key] / total) * 300;
    const rect = svg('rect', { x, y: 0, width: w, height: 14, class: `fill-${group}` });
    x += w;
    return rect;
  }) : [svg('rect', { x: 0, y: 0, width: 300, height: 14, class: 'fill-none' })];
  return svg('svg', { viewBox: '0 0 300 14', class: 'split', role: 'img', preserveAspectRatio: 'none',
    'aria-label': t('admin.fb.split', { p: nps.promoters, pa: nps.passives, d: nps.detractors }) }, rects);
}

/**
 * The group comparison: one small horizontal bar chart per figure with the three groups, drawn as SVG with the values
 * written beside the bars; each chart's label says the same figures for screen readers.
 */
function groupChart(groups, currency) {
  const names = ['promoter', 'passive', 'detractor'];
  const metrics = [
    ['average_order_cents', (v) => money(v, currency)],
    ['refund_rate', (v) => percent(v)],
    ['repeat_purchase_rate', (v) => percent(v)],
  ];
  const rowH = 26;
  const labelW = 96;
  const barW = 150;
  const charts = metrics.map(([metric, format]) => {
    const values = names.map((g) => Number(groups[g]?.[metric] || 0));
    const top = Math.max(...values) || 1;
    const label = `${t(`admin.fb.${metric}`)}: ${names.map((g, i) => `${t(`admin.fb.group.${g}`)} ${format(values[i])}`).join(', ')}`;
    return h('figure', { class: 'group-chart', 'data-metric': metric },
      h('figcaption', { 'aria-hidden': 'true' }, t(`admin.fb.${metric}`)),
      svg('svg', { viewBox: `0 0 320 ${rowH * names.length}`, class: 'bars', role: 'img', 'aria-label': label },
        names.map((g, i) => {
          const w = (values[i] / top) * barW;
          return [
            svg('text', { x: 0, y: i * rowH + 17, class: 'bar-label' }, t(`admin.fb.group.${g}`)),
            svg('rect', { x: labelW, y: i * rowH + 5, width: values[i] > 0 ? Math.max(2, w) : 0, height: 16, rx: 3, class: `fill-${g}`, 'data-group': g, 'data-value': String(values[i]) }),
            svg('text', { x: labelW + Math.max(2, w) + 6, y: i * rowH + 17, class: 'bar-value' }, format(values[i])),
          ];
        })));
  });
  const table = h('table', { class: 'table stack-table', 'data-testid': 'groups-table' },
    h('caption', { class: 'sr-only' }, t('admin.fb.groups')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('chart.group')), h('th', { scope: 'col' }, t('chart.accounts')),
      metrics.map(([metric]) => h('th', { scope: 'col' }, t(`admin.fb.${metric}`))))),
    h('tbody', {}, names.map((g) => h('tr', { 'data-group': g }, h('th', { scope: 'row' }, t(`admin.fb.group.${g}`)),
      h('td', { 'data-label': t('chart.accounts') }, count(groups[g]?.accounts)),
      metrics.map(([metric, format]) => h('td', { 'data-metric': metric, 'data-label': t(`admin.fb.${metric}`) }, format(Number(groups[g]?.[metric] || 0))))))));
  return h('div', { class: 'group-charts', 'data-testid': 'group-charts' },
    h('p', { class: 'hint' }, names.map((g) => t('admin.fb.group_accounts', { group: t(`admin.fb.group.${g}`), n: count(groups[g]?.accounts) })).join(' · ')),
    charts, chartTable(table, 'groups-data'));
}

/**
 * A chart's figures as a data table behind a disclosure (WCAG 1.1.1, 1.3.1): opened with Enter or Space on its
 * summary, read cell by cell with a screen reader's table commands, and the same numbers the chart draws.
 */
function chartTable(table, testid) {
  return h('details', { class: 'chart-table', 'data-testid': testid }, h('summary', {}, t('chart.as_table')), h('div', { class: 'table-wrap' }, table));
}

/** The weeks of the trend as a table: the start of each week, its NPS and how many answered. */
function trendTable(weeks) {
  const longDay = (d) => new Intl.DateTimeFormat(lang(), { dateStyle: 'medium' }).format(d);
  return chartTable(h('table', { class: 'table', 'data-testid': 'trend-table' },
    h('caption', { class: 'sr-only' }, t('admin.fb.trend')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('chart.week')), h('th', { scope: 'col' }, t('chart.nps')), h('th', { scope: 'col' }, t('chart.answers')))),
    h('tbody', {}, weeks.map((week) => {
      const nps = week.report?.nps;
      return h('tr', { 'data-week': ymd(week.start) }, h('th', { scope: 'row' }, longDay(week.start)),
        h('td', { 'data-testid': 'week-nps' }, nps?.responses ? signed(nps.score) : '–'), h('td', {}, count(nps?.responses)));
    }))), 'trend-data');
}

/** NPS per week as bars above or below the zero line (−100 to 100); weeks without answers show no bar. */
function trendChart(weeks) {
  const w = 320;
  const top = 14;
  const mid = 84;
  const scale = 64 / 100;
  const step = (w - 30) / weeks.length;
  const bars = weeks.map((week, i) => {
    const x = 30 + i * step + step * 0.15;
    const bw = step * 0.7;
    const label = svg('text', { x: x + bw / 2, y: 170, class: 'axis-label', 'text-anchor': 'middle' }, shortDay(week.start));
    if (!week.report || !week.report.nps.responses) {
      return [label, svg('text', { x: x + bw / 2, y: mid - 4, class: 'bar-value', 'text-anchor': 'middle' }, '–')];
    }
    const score = week.report.nps.score;
    const hgt = Math.max(1, Math.abs(score) * scale);
    return [svg('rect', { x, y: score >= 0 ? mid - hgt : mid, width: bw, height: hgt, rx: 2, class: score >= 0 ? 'fill-promoter' : 'fill-detractor', 'data-week': ymd(week.start) }),
      svg('text', { x: x + bw / 2, y: score >= 0 ? mid - hgt - 4 : mid + hgt + 11, class: 'bar-value', 'text-anchor': 'middle' }, signed(score)), label];
  });
  const summary = weeks.map((week) => `${shortDay(week.start)}: ${week.report?.nps.responses ? signed(week.report.nps.score) : '–'}`).join(', ');
  return svg('svg', { viewBox: `0 0 ${w} 180`, class: 'trend', role: 'img', 'aria-label': t('admin.fb.trend_label', { weeks: summary }), 'data-testid': 'nps-trend' },
    svg('line', { x1: 28, x2: w, y1: mid, y2: mid, class: 'axis' }),
    svg('line', { x1: 28, x2: w, y1: top + 6, y2: top + 6, class: 'grid' }), svg('line', { x1: 28, x2: w, y1: mid + 64, y2: mid + 64, class: 'grid' }),
    svg('text', { x: 0, y: top + 10, class: 'axis-label' }, '100'), svg('text', { x: 10, y: mid + 4, class: 'axis-label' }, '0'),
    svg('text', { x: 0, y: mid + 68, class: 'axis-label' }, '−100'), bars);
}

function reportView(report, range) {
  const nps = report.nps;
  const cases = report.cases;
  return [
    h('p', { class: 'hint', 'data-testid': 'range' }, t('admin.fb.range', { from: dateTime(range.from.toISOString()), to: dateTime(range.to.toISOString()) })),
    h('dl', { class: 'stats kpis' },
      stat(t('admin.fb.nps'), nps.responses ? signed(nps.score) : '–', 'nps'),
      stat(t('admin.fb.csat'), report.csat.responses ? `${oneDecimal(report.csat.score)} %` : '–', 'csat'),
      stat(t('admin.fb.ces'), report.ces.responses ? oneDecimal(report.ces.average) : '–', 'ces'),
      stat(t('admin.fb.response_rate'), percent(report.response_rate), 'response-rate')),
    h('p', { class: 'hint' }, t('admin.fb.responses', { nps: count(nps.responses), csat: count(report.csat.responses), ces: count(report.ces.responses), invitations: count(report.invitations) })),
    h('section', { class: 'card', 'aria-labelledby': 'nps-title' }, h('h2', { id: 'nps-title' }, t('admin.fb.nps_title')),
      npsSplit(nps),
      h('p', { class: 'legend' }, [['promoter', nps.promoters], ['passive', nps.passives], ['detractor', nps.detractors]].map(([g, n]) => h('span', {},
        h('span', { class: `swatch fill-${g}`, 'aria-hidden': 'true' }), `${t(`admin.fb.group.${g}s`)}: ${count(n)}`)))),
    h('section', { class: 'card', 'aria-labelledby': 'cases-title' }, h('h2', { id: 'cases-title' }, t('admin.fb.cases')),
      h('p', { class: 'hint' }, t('admin.fb.cases_intro')),
      h('dl', { class: 'stats', 'data-testid': 'cases' },
        stat(t('admin.fb.opened'), count(cases.opened), 'cases-opened'),
        stat(t('admin.fb.within_48h'), `${count(cases.answered_within_48h)}${cases.opened ? ` (${percent(cases.answered_within_48h / cases.opened)})` : ''}`, 'cases-48h'),
        stat(t('admin.fb.median'), cases.median_first_response_seconds ? duration(cases.median_first_response_seconds * 1000) : '–', 'cases-median'),
        stat(t('admin.fb.escalated'), count(cases.escalated), 'cases-escalated'),
        stat(t('admin.fb.recovered'), count(cases.recovered), 'cases-recovered'))),
    h('section', { class: 'card', 'aria-labelledby': 'groups-title' }, h('h2', { id: 'groups-title' }, t('admin.fb.groups')),
      h('p', { class: 'hint' }, t('admin.fb.groups_intro')), groupChart(report.by_group || {}, report.currency)),
  ];
}

/** `#/admin/feedback`: the report for a chosen range (the last 30 days at first) and the NPS of the last 8 weeks. */
export async function feedback(main, { query, go }) {
  if (needsAdmin(main, t('admin.feedback'))) return;
  // A demo server with a test clock (API.md §13) may be days ahead: the default range ends on the server's today.
  const today = await get('/v1/admin/test-clock').then((clock) => new Date(clock.now)).catch(() => new Date());
  const fromText = /^\d{4}-\d{2}-\d{2}$/.test(query.get('from') || '') ? query.get('from') : ymd(new Date(today.getTime() - 29 * DAY_MS));
  const toText = /^\d{4}-\d{2}-\d{2}$/.test(query.get('to') || '') ? query.get('to') : ymd(today);
  const range = { from: midnight(fromText), to: midnight(toText, 1) };
  const fromInput = h('input', { type: 'date', name: 'from', value: fromText, 'data-testid': 'from' });
  const toInput = h('input', { type: 'date', name: 'to', value: toText, 'data-testid': 'to' });
  const show = h('button', { type: 'submit', 'data-testid': 'show-report' }, t('admin.fb.show'));
  const box = notice();
  const form = h('form', { class: 'card range-form', novalidate: true },
    h('div', { class: 'quiet-times' }, field(t('admin.fb.from'), fromInput), field(t('admin.fb.to'), toInput)), box, show);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!midnight(fromInput.value) || !midnight(toInput.value) || fromInput.value > toInput.value) {
      showError(box, { code: 'invalid_request', errors: [{ field: 'to', message: t('admin.fb.range_hint') }] }, form);
      return;
    }
    go(`#/admin/feedback?from=${fromInput.value}&to=${toInput.value}`);
  });
  const ask = (from, to) => get('/v1/admin/feedback/report', { from: from.toISOString(), to: to.toISOString() });
  let report;
  try {
    report = await ask(range.from, range.to);
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, tabs('feedback'), title(t('admin.feedback')), h('p', { class: 'muted' }, t('common.unavailable')));
    return;
  }
  // The trend: one report per week, the last of them ending with the chosen range.
  const weeks = Array.from({ length: WEEKS }, (_, i) => {
    const end = new Date(range.to.getTime() - (WEEKS - 1 - i) * 7 * DAY_MS);
    return { start: new Date(end.getTime() - 7 * DAY_MS), end };
  });
  await Promise.all(weeks.map(async (week) => {
    try { week.report = await ask(week.start, week.end); } catch { week.report = null; }
  }));
  replace(main, tabs('feedback'), title(t('admin.feedback')), h('p', { class: 'hint' }, t('admin.feedback_intro')), form,
    h('div', { 'data-testid': 'report' }, reportView(report, range)),
    h('section', { class: 'card', 'aria-labelledby': 'trend-title' }, h('h2', { id: 'trend-title' }, t('admin.fb.trend')),
      h('p', { class: 'hint' }, t('admin.fb.trend_intro', { n: WEEKS })), trendChart(weeks), trendTable(weeks)));
}

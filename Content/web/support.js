// Pieces shared by the customer's and the agent's view of service conversations (API.md §18): badges, the SLA
// countdown and a message in the dialogue.
import { session } from './api.js';
import { t, lang } from './i18n.js';
import { h, dateTime } from './ui.js';

/** The countdown is repainted this often; it is not a live region, so nothing is announced by the second. */
const SLA_TICK_MS = 30000;
const TWO_HOURS = 2 * 3600 * 1000;

/** "3 days 4 hr", "5 hr 12 min", "12 min" in the page's language. */
export function duration(ms) {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60000));
  const unit = (value, name) => {
    try { return new Intl.NumberFormat(lang(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value); } catch { return `${value} ${name}`; }
  };
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) return [unit(days, 'day'), hours ? unit(hours, 'hour') : null].filter(Boolean).join(' ');
  if (hours) return [unit(hours, 'hour'), rest ? unit(rest, 'minute') : null].filter(Boolean).join(' ');
  return unit(rest, 'minute');
}

function paintSla(el, c) {
  const due = Date.parse(c.first_response_due_at);
  el.title = Number.isNaN(due) ? '' : t('support.sla.due_at', { date: dateTime(c.first_response_due_at) });
  if (c.first_response_at) {
    el.textContent = t('support.sla.answered_in', { time: duration(Date.parse(c.first_response_at) - Date.parse(c.created_at)) });
    el.className = 'sla sla-ok';
    el.dataset.state = 'answered';
  } else if (c.status !== 'open' || Number.isNaN(due)) {
    el.textContent = '';
    el.className = 'sla';
    el.dataset.state = 'none';
  } else {
    const left = due - Date.now();
    el.textContent = left > 0 ? t('support.sla.due_in', { time: duration(left) }) : t('support.sla.overdue', { time: duration(left) });
    el.className = `sla ${left <= 0 ? 'sla-late' : left < TWO_HOURS ? 'sla-soon' : 'sla-open'}`;
    el.dataset.state = left > 0 ? 'due' : 'overdue';
  }
  el.hidden = !el.textContent;
}

/** One timer per page for every SLA badge on it; `stop` belongs in the view's cleanup. */
export function slaTicker() {
  const badges = new Map();
  const timer = setInterval(() => {
    for (const [el, c] of badges) {
      if (el.isConnected) paintSla(el, c); else badges.delete(el);
    }
  }, SLA_TICK_MS);
  return {
    badge(c) {
      const el = h('span', { class: 'sla', 'data-testid': 'sla' });
      paintSla(el, c);
      badges.set(el, c);
      return el;
    },
    stop() { clearInterval(timer); badges.clear(); },
  };
}

export function statusBadge(c) {
  return h('span', { class: `badge conversation-${c.status}`, 'data-testid': 'conversation-status' }, t(`support.status.${c.status}`));
}

export function kindBadge(c) {
  return c.kind === 'feedback' ? h('span', { class: 'badge category-feedback' }, t('support.kind.feedback')) : null;
}

export function escalatedBadge(c) {
  return c.escalated ? h('span', { class: 'badge escalated', 'data-testid': 'escalated' }, t('support.escalated')) : null;
}

/** A message of the dialogue: the caller's own on the right, Basar's notes (goodwill) in the middle. */
export function messageItem(m) {
  const mine = m.author?.account_id === session.account?.id && m.author?.role !== 'system';
  const role = m.author?.role || 'customer';
  return h('li', { class: `msg msg-${role}${mine ? ' mine' : ''}`, 'data-message-id': m.id, 'data-role': role },
    h('p', { class: 'msg-meta' }, h('strong', {}, mine ? t('support.you') : (m.author?.display_name || t('support.deleted'))),
      role === 'agent' && !mine ? h('span', { class: 'badge' }, t('support.role.agent')) : null,
      h('small', { class: 'muted' }, dateTime(m.created_at))),
    h('p', { class: 'msg-text' }, m.text));
}

// Feedback (API.md §19): a survey invitation answered with one tap, in the inbox and on the page of open questions.
// A low score opens a conversation with the service team, which answers within 48 hours: the card says so.
import { get, post, seg, unavailable } from './api.js';
import { t } from './i18n.js';
import { h, replace, notice, showError, title, dateTime } from './ui.js';

/** nps, csat or ces: from the survey's name (nps_delivery, csat_support, ces_refund), else from its scale. */
function kindOf(survey, min, max) {
  const prefix = String(survey || '').split('_')[0];
  if (['nps', 'csat', 'ces'].includes(prefix)) return prefix;
  if (min === 0 && max === 10) return 'nps';
  return max === 5 ? 'csat' : max === 7 ? 'ces' : null;
}

/** The scores that count as a detractor's (API.md §19): those open a feedback conversation. */
const DETRACTOR_UP_TO = { nps: 6, csat: 2, ces: 3 };

/** Ids of the caller's open invitations, or null when the server cannot tell (no route yet, or a failed read). */
export async function pendingIDs() {
  try {
    return new Set((await get('/v1/surveys/pending')).data.map((invitation) => invitation.id));
  } catch {
    return null;
  }
}

let serial = 0;

/**
 * A survey card: the question, one button per score (a tap answers), and an optional comment written first.
 * `open` false shows the question as closed (answered or expired). `onAnswered(score)` runs after an answer.
 */
export function surveyCard({ id, question, scale, survey }, { open = true, onAnswered } = {}) {
  const min = Number(scale?.min ?? 0);
  const max = Number(scale?.max ?? 10);
  const kind = kindOf(survey, min, max);
  const key = `survey-${++serial}`;
  const card = h('div', { class: 'survey', 'data-invitation-id': id, 'data-state': open ? 'open' : 'closed', 'data-testid': 'survey' });
  const questionEl = h('p', { class: 'survey-question', id: `${key}-q` }, question);
  if (!open) {
    return replace(card, questionEl, h('p', { class: 'hint', 'data-testid': 'survey-closed' }, t('surveys.closed')));
  }
  const box = notice();
  const comment = h('textarea', { name: 'comment', rows: 2, maxlength: 2000, 'data-testid': 'survey-comment', 'aria-label': t('surveys.comment') });
  const ends = kind ? h('p', { class: 'scale-ends', id: `${key}-ends` },
    h('span', {}, t(`surveys.low.${kind}`, { n: min })), h('span', {}, t(`surveys.high.${kind}`, { n: max }))) : null;
  const buttons = [];
  for (let n = min; n <= max; n += 1) {
    buttons.push(h('button', { type: 'button', class: 'score', 'data-score': String(n), 'aria-label': t('surveys.score_of', { n, max }) }, String(n)));
  }
  const group = h('div', { class: `scale${max - min + 1 > 7 ? ' scale-wide' : ''}`, role: 'group', 'aria-labelledby': `${key}-q`,
    'aria-describedby': ends ? `${key}-ends` : null }, buttons);

  function done(text, extra, state = 'answered') {
    card.dataset.state = state;
    // The tapped button goes away with the scale: a keyboard user's focus moves to the answer instead of the page's top.
    const focused = card.contains(document.activeElement) || document.activeElement === document.body;
    const note = h('p', { class: state === 'answered' ? 'notice notice-ok' : 'notice', role: 'status', tabindex: '-1', 'data-testid': 'survey-done' }, text);
    replace(card, questionEl, note, extra);
    if (focused) note.focus({ preventScroll: true });
  }

  async function answer(score) {
    if (buttons.some((b) => b.disabled)) return;
    for (const b of buttons) b.disabled = true;
    const chosen = buttons.find((b) => b.dataset.score === String(score));
    chosen?.setAttribute('aria-busy', 'true');
    const body = { score };
    if (comment.value.trim()) body.comment = comment.value.trim();
    try {
      await post(`/v1/surveys/invitations/${seg(id)}/responses`, body);
      const sorry = kind && score <= DETRACTOR_UP_TO[kind];
      done(t('surveys.thanks', { n: score }), sorry ? h('p', { 'data-testid': 'survey-sorry' }, t('surveys.sorry'), ' ',
        h('a', { href: '#/conversations' }, t('support.mine'))) : null);
      onAnswered?.(score);
    } catch (error) {
      if (error.code === 'already_answered') { done(t('surveys.already')); onAnswered?.(null); return; }
      if (error.code === 'expired') { done(t('surveys.expired'), null, 'expired'); return; }
      for (const b of buttons) b.disabled = false;
      chosen?.removeAttribute('aria-busy');
      showError(box, unavailable(error) ? { code: 'not_implemented' } : error);
    }
  }
  for (const b of buttons) b.addEventListener('click', () => answer(Number(b.dataset.score)));
  return replace(card, questionEl,
    h('details', { class: 'survey-comment' }, h('summary', {}, t('surveys.add_comment')),
      h('p', { class: 'hint' }, t('surveys.comment_hint')), comment),
    group, ends, box);
}

/** What an invitation is about, with a link where Basar has a page for it. */
function subjectLine(subject) {
  if (!subject) return null;
  if (subject.type === 'order') return h('a', { href: `#/orders/${seg(subject.id)}` }, t('surveys.about.order'));
  if (subject.type === 'conversation') return h('a', { href: `#/conversations/${seg(subject.id)}` }, t('surveys.about.conversation'));
  if (subject.type === 'refund') return h('span', {}, t('surveys.about.refund'));
  return null;
}

/** `#/surveys`: the caller's open questions (GET /v1/surveys/pending), newest first. */
export async function pending(main) {
  let invitations;
  try {
    invitations = (await get('/v1/surveys/pending')).data;
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, title(t('surveys.title')), h('p', { class: 'muted' }, t('common.unavailable')));
    return;
  }
  const list = h('ul', { class: 'survey-list', 'data-testid': 'surveys' }, invitations.map((invitation) => h('li', { class: 'card', 'data-invitation-id': invitation.id },
    h('p', { class: 'row survey-meta' }, subjectLine(invitation.subject),
      h('small', { class: 'muted' }, t('surveys.open_until', { date: dateTime(invitation.expires_at) }))),
    surveyCard(invitation))));
  if (!invitations.length) list.append(h('li', { class: 'empty' }, t('surveys.none')));
  replace(main, title(t('surveys.title')), h('p', { class: 'hint' }, t('surveys.intro')), list);
}

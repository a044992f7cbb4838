// Service conversations for customers (API.md §18): "a question about this order" on every order page, the list of
// one's conversations, and a conversation page (messages oldest first, write, resolve) that agents share, with their
// tools beside it. New messages arrive over the account's event stream (events.js).
import { get, post, seg, session, unavailable } from './api.js';
import { t } from './i18n.js';
import { h, replace, notice, showError, clearInvalid, busy, title, dateTime, field, pagedList } from './ui.js';
import { onAccountEvent, accountStreamState } from './events.js';
import { slaTicker, statusBadge, kindBadge, escalatedBadge, messageItem } from './support.js';
import { agentPanel } from './view-agent.js';

/** Without a live stream (or for an agent the messages are not addressed to) the page reads again this often. */
const POLL_MS = 20000;

function questionForm({ subject = '', orderID = null, testid }) {
  const subjectInput = h('input', { name: 'subject', maxlength: 200, value: subject, 'data-testid': `${testid}-subject` });
  const text = h('textarea', { name: 'text', rows: 4, maxlength: 2000, 'data-testid': `${testid}-text` });
  const submit = h('button', { type: 'submit', 'data-testid': `${testid}-submit` }, t('support.send_question'));
  const box = notice();
  const form = h('form', { class: 'question-form', novalidate: true, 'data-testid': `${testid}-form` },
    field(t('field.subject'), subjectInput), field(t('field.text'), text, t('support.text_hint')), box, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const body = { subject: subjectInput.value.trim(), text: text.value.trim() };
      const missing = ['subject', 'text'].filter((k) => !body[k]);
      if (missing.length) {
        showError(box, { code: 'invalid_request', errors: missing.map((k) => ({ field: k, message: t('address.required') })) }, form);
        (missing[0] === 'subject' ? subjectInput : text).focus();
        return;
      }
      if (orderID) body.order_id = orderID;
      try {
        const created = await post('/v1/conversations', body);
        clearInvalid(form);
        window.location.hash = `#/conversations/${seg(created.id)}`;
      } catch (error) {
        showError(box, unavailable(error) ? { code: 'not_implemented' } : error, form);
      }
    });
  });
  return { form, focus: () => text.focus() };
}

/**
 * The order page's help: earlier conversations about this order, and "a question about this order" that opens a
 * form. Hidden on a server without conversations.
 */
export function helpSection(order) {
  const section = h('section', { class: 'card help', 'aria-labelledby': 'help-title', hidden: true, 'data-testid': 'order-help' });
  const { form, focus } = questionForm({ subject: t('support.order_subject', { date: dateTime(order.created_at) }), orderID: order.id, testid: 'help' });
  form.hidden = true;
  const ask = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'data-testid': 'help-open' }, t('support.ask_about_order'));
  ask.addEventListener('click', () => {
    form.hidden = !form.hidden;
    ask.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) focus();
  });
  async function load() {
    let earlier = [];
    try {
      earlier = (await get('/v1/conversations', { limit: 100 })).data.filter((c) => c.order_id === order.id);
    } catch (error) {
      if (unavailable(error)) return;
    }
    replace(section, h('h2', { id: 'help-title' }, t('support.help_title')),
      earlier.length ? h('ul', { class: 'rows', 'data-testid': 'order-conversations' }, earlier.map((c) => h('li', { class: 'row-item' },
        h('a', { href: `#/conversations/${seg(c.id)}` }, c.subject), statusBadge(c)))) : h('p', { class: 'hint' }, t('support.help_intro')),
      ask, form);
    section.hidden = false;
  }
  return { element: section, load };
}

/** `#/conversations`: the caller's conversations, newest first, and a general question. */
export async function conversations(main) {
  const list = pagedList('/v1/conversations', {}, (c) => h('li', { class: 'row-item', 'data-conversation-id': c.id },
    h('a', { href: `#/conversations/${seg(c.id)}` }, c.subject), statusBadge(c), kindBadge(c),
    c.order_id ? h('a', { href: `#/orders/${seg(c.order_id)}`, class: 'muted' }, t('support.about_order')) : null,
    h('small', { class: 'muted' }, dateTime(c.updated_at))), t('support.none'), 'conversations');
  const { form } = questionForm({ testid: 'question' });
  replace(main, title(t('support.title')),
    session.has('agent') ? h('p', { class: 'hint' }, t('support.agents_see_all'), ' ', h('a', { href: '#/service' }, t('agent.title'))) : null,
    list.element, h('section', { class: 'card', 'aria-labelledby': 'ask-title' }, h('h2', { id: 'ask-title' }, t('support.new_question')),
      h('p', { class: 'hint' }, t('support.new_hint')), form));
  try {
    await list.load(true);
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, title(t('support.title')), h('p', { class: 'muted' }, t('common.unavailable')));
  }
}

/** `#/conversations/{id}`: the dialogue; agents (who are not its customer) get their tools beside it. */
export async function conversation(main, { params }) {
  const id = params[0];
  let conv;
  try {
    conv = await get(`/v1/conversations/${seg(id)}`);
  } catch (error) {
    if (!unavailable(error)) throw error;
    replace(main, title(t('support.title')), h('p', { class: 'muted' }, t('common.unavailable')));
    return undefined;
  }
  const me = session.account || {};
  const staff = session.has('agent') && conv.customer?.account_id !== me.id;
  const ticker = slaTicker();
  const head = h('div', { class: 'conversation-head' });
  const messages = h('ol', { class: 'messages', 'data-testid': 'messages', 'aria-live': 'polite' });
  const seen = new Set();
  const box = notice();
  const text = h('textarea', { name: 'text', rows: 3, maxlength: 2000, 'data-testid': 'reply-text', 'aria-label': t('support.reply') });
  const send = h('button', { type: 'submit', 'data-testid': 'reply-send' }, t('support.send'));
  const resolve = h('button', { type: 'button', class: 'secondary', 'data-testid': 'resolve' });
  const reopenNote = h('p', { class: 'hint', 'data-testid': 'reopen-note' }, t('support.reopen_note'));
  const panel = staff ? agentPanel(() => conv, { ticker, onChange: (next) => { conv = next; renderHead(); }, onMessages: () => loadMessages() }) : null;

  function renderHead() {
    const assignee = conv.assignee?.display_name;
    const waiting = conv.status === 'open' && !conv.first_response_at;
    replace(head,
      h('p', { class: 'row' }, statusBadge(conv), kindBadge(conv), escalatedBadge(conv),
        conv.order_id ? h('a', { href: `#/orders/${seg(conv.order_id)}`, 'data-testid': 'conversation-order' }, t('support.about_order')) : null,
        h('small', { class: 'muted' }, dateTime(conv.created_at))),
      staff ? h('p', {}, t('agent.customer_is', { name: conv.customer?.display_name || t('support.deleted') }), ' · ',
        assignee ? t('support.assigned_to', { name: assignee }) : t('agent.nobody'), ' ', ticker.badge(conv))
        : h('p', { class: 'hint', 'data-testid': 'promise' }, assignee ? t('support.assigned_to', { name: assignee }) : t('support.not_assigned'),
          waiting ? [' ', t(`support.promise.${conv.kind === 'feedback' ? 'feedback' : 'support'}`, { date: dateTime(conv.first_response_due_at) })] : null));
    resolve.textContent = t(staff ? 'support.resolve' : 'support.resolve_mine');
    resolve.hidden = conv.status !== 'open';
    reopenNote.hidden = conv.status === 'open';
    panel?.render();
  }

  function addMessage(m) {
    if (!m?.id || seen.has(m.id)) return;
    seen.add(m.id);
    messages.querySelector('.empty')?.remove();
    messages.append(messageItem(m));
  }

  /** Every message, oldest first; those already shown stay (a live region announces only what is new). */
  async function loadMessages() {
    let cursor = null;
    for (let pages = 0; pages < 40; pages += 1) {
      const page = await get(`/v1/conversations/${seg(id)}/messages`, { limit: 100, cursor });
      page.data.forEach(addMessage);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    if (!seen.size && !messages.querySelector('.empty')) messages.append(h('li', { class: 'empty' }, t('support.no_messages')));
  }

  async function reload() {
    conv = await get(`/v1/conversations/${seg(id)}`);
    renderHead();
    await loadMessages();
  }

  const form = h('form', { class: 'reply-form', novalidate: true, 'data-testid': 'reply-form' }, text, box, h('div', { class: 'row' }, send, resolve), reopenNote);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) { text.focus(); return; }
    busy(send, async () => {
      try {
        addMessage(await post(`/v1/conversations/${seg(id)}/messages`, { text: value }));
        text.value = '';
        box.hidden = true;
        // Writing reopens a resolved conversation, and an agent's first answer keeps the promise: read it again.
        conv = await get(`/v1/conversations/${seg(id)}`);
        renderHead();
      } catch (error) { showError(box, error); }
    });
  });
  resolve.addEventListener('click', () => busy(resolve, async () => {
    try {
      conv = await post(`/v1/conversations/${seg(id)}/resolve`);
      renderHead();
      box.hidden = true;
    } catch (error) { showError(box, error); }
  }));

  renderHead();
  await loadMessages();
  replace(main, h('p', {}, h('a', { href: staff ? '#/service' : '#/conversations' }, '← ', t(staff ? 'agent.title' : 'support.title'))),
    title(conv.subject), head,
    h('div', { class: staff ? 'conversation-layout' : '' },
      h('section', { class: 'dialogue', 'aria-label': t('support.messages') }, messages, form), panel?.element));
  panel?.load();

  // Live: a message for this conversation appears at once; a reconnection (which cannot resume) reads everything again.
  let refreshing = null;
  const refreshHead = () => {
    refreshing ||= get(`/v1/conversations/${seg(id)}`).then((next) => { conv = next; renderHead(); }).catch(() => {}).finally(() => { refreshing = null; });
  };
  const stops = [
    onAccountEvent('conversation.message', (m) => { if (m?.conversation_id === id) { addMessage(m); refreshHead(); } }),
    onAccountEvent('open', () => { reload().catch(() => {}); }),
  ];
  // Messages reach only the other side's assignee (API.md §18): an agent reading someone else's case, or a tab
  // without the stream, reads again now and then.
  const timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    const assigned = conv.assignee?.account_id === me.id || !staff;
    if (accountStreamState() !== 'live' || !assigned) reload().catch(() => {});
  }, POLL_MS);
  return () => {
    stops.forEach((stop) => stop());
    clearInterval(timer);
    ticker.stop();
  };
}

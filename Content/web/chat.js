// The chat's presentation, shared by live shows (API.md §9) and communities (§20): one line per message with the
// moderator's delete and mute, a list that keeps the last 200 and scrolls to the newest, and the one-line composer.
import { t } from './i18n.js';
import { h, busy, showError } from './ui.js';

/**
 * One message (`{id, account_id, display_name, text}`); `moderation` (`{remove(m), mute(m)}`) adds the owner's
 * tools, and is left out for one's own messages by the caller.
 */
export function chatMessage(m, moderation) {
  const tool = (testid, label, action) => h('button', {
    type: 'button', class: 'link-button', 'data-testid': testid, onclick: (e) => busy(e.currentTarget, () => action(m)),
  }, label);
  const tools = moderation ? h('span', { class: 'mod' },
    tool('delete-message', t('live.delete'), moderation.remove), tool('mute', t('live.mute'), moderation.mute)) : null;
  return h('li', { 'data-message-id': m.id }, h('strong', {}, m.display_name), ' ', h('span', { class: 'text' }, m.text), tools);
}

/** The list a chat shows its messages in. */
export function chatList(testid = 'chat') {
  return h('ol', { class: 'chat', 'data-testid': testid, 'aria-live': 'polite' });
}

/** Appends `item` (a chatMessage) unless its message is shown already; keeps the last 200 and shows the newest. */
export function addToChat(list, item) {
  if (list.querySelector(`[data-message-id="${CSS.escape(item.dataset.messageId)}"]`)) return;
  list.append(item);
  while (list.children.length > 200) list.firstChild.remove();
  list.scrollTop = list.scrollHeight;
}

/** Takes a deleted message off the list. */
export function removeFromChat(list, messageId) {
  list.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`)?.remove();
}

/**
 * The composer: `allowed()` may refuse (and send the person to the login), `send(text)` posts; its error is shown
 * in `box`. The field is cleared once the message is sent.
 */
export function chatComposer({ box, send, allowed = () => true }) {
  const input = h('input', { name: 'text', maxlength: 500, autocomplete: 'off', 'aria-label': t('live.say'), placeholder: t('live.say'), 'data-testid': 'chat-input' });
  const submit = h('button', { type: 'submit' }, t('live.send'));
  const form = h('form', { class: 'chat-form' }, input, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!allowed()) return;
    const text = input.value.trim();
    if (!text) return;
    busy(submit, async () => {
      try {
        await send(text);
        input.value = '';
        box.hidden = true;
      } catch (error) {
        showError(box, error);
      }
    });
  });
  return form;
}

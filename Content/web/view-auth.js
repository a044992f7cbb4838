// Sign up and log in (API.md §2). The token goes to sessionStorage; the next view comes from ?next= (a path only).
import { post, session } from './api.js';
import { t } from './i18n.js';
import { h, replace, field, notice, showError, busy, title, toast } from './ui.js';

function nextPath(query) {
  const next = query.get('next') || '/';
  // Only a hash path of this page: never an absolute URL.
  return /^\/[A-Za-z0-9/_-]*$/.test(next) ? `#${next}` : '#/';
}

export function login(main, { query, go }) {
  const box = notice();
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', 'data-testid': 'login-submit' }, t('auth.login'));
  const form = h('form', { class: 'card narrow', novalidate: true },
    field(t('field.email'), email), field(t('field.password'), password), box, submit,
    h('p', {}, t('auth.no_account'), ' ', h('a', { href: `#/signup?next=${encodeURIComponent(query.get('next') || '/')}` }, t('nav.signup'))),
    h('p', { class: 'hint' }, t('auth.demo_hint')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      try {
        const result = await post('/v1/sessions', { email: email.value.trim(), password: password.value });
        session.set(result.token, result.account);
        toast(t('auth.welcome', { name: result.account.display_name }), 'ok');
        go(nextPath(query));
      } catch (error) {
        showError(box, error, form);
        password.focus();
      }
    });
  });
  replace(main, title(t('auth.login_title')), form); // the router focuses the heading: the e-mail field is next
}

export function signup(main, { query, go }) {
  const box = notice();
  const name = h('input', { name: 'display_name', autocomplete: 'nickname', required: true, maxlength: 60 });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const submit = h('button', { type: 'submit', 'data-testid': 'signup-submit' }, t('auth.signup'));
  // An invitation (?ref=, a share code of API.md §20): sent as referral_code; the person may clear it.
  const referral = query.get('ref') ? h('input', { name: 'referral_code', value: query.get('ref'), autocomplete: 'off', spellcheck: 'false', 'data-testid': 'referral-code' }) : null;
  const form = h('form', { class: 'card narrow', novalidate: true },
    field(t('field.display_name'), name), field(t('field.email'), email),
    field(t('field.password'), password, t('auth.password_hint')),
    referral ? field(t('field.referral_code'), referral, t('teams.referral_hint')) : null, box, submit,
    h('p', {}, t('auth.have_account'), ' ', h('a', { href: '#/login' }, t('nav.login'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      try {
        const body = { email: email.value.trim(), password: password.value, display_name: name.value.trim() };
        if (referral?.value.trim()) body.referral_code = referral.value.trim();
        const result = await post('/v1/accounts', body);
        session.set(result.token, result.account);
        toast(t('auth.welcome', { name: result.account.display_name }), 'ok');
        go(nextPath(query));
      } catch (error) {
        showError(box, error, form);
      }
    });
  });
  replace(main, title(t('auth.signup_title')), form); // the router focuses the heading: the name field is next
}

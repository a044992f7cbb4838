// The one place that talks to the Basar JSON API (API.md). Tokens live in sessionStorage only: never in a URL,
// never in localStorage, so closing the tab signs out and nothing leaks through history or Referer.
import { lang } from './i18n.js';

const TOKEN_KEY = 'basar.token';
const ACCOUNT_KEY = 'basar.account';

/** A failed request: `code` is the API's stable problem code, or `network` when no answer came. */
export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || problem.code || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : 'unknown');
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.reason = problem.reason || null;
    this.minimumCents = Number.isInteger(problem.minimum_cents) ? problem.minimum_cents : null; // bid_too_low (§22)
    this.retryAfter = retryAfter;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  get account() {
    try { return JSON.parse(sessionStorage.getItem(ACCOUNT_KEY) || 'null'); } catch { return null; }
  },
  get signedIn() { return Boolean(this.token); },
  has(role) {
    const roles = this.account?.roles || [];
    return roles.includes(role) || roles.includes('admin');
  },
  set(token, account) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ACCOUNT_KEY, JSON.stringify(account));
    window.dispatchEvent(new CustomEvent('basar:session'));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ACCOUNT_KEY);
    window.dispatchEvent(new CustomEvent('basar:session'));
  },
};

/** A fresh Idempotency-Key (API.md §1); works outside secure contexts too. */
export function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One user intent that moves money, stock or prizes: the same key is reused when the user retries after a network
 * failure (so the server replays instead of paying twice) and renewed once the server has answered.
 */
export function intent() {
  let key = newKey();
  return {
    get key() { return key; },
    settle(error) { if (!(error instanceof ApiError) || error.status !== 0) key = newKey(); },
  };
}

function query(params) {
  const entries = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? '?' + new URLSearchParams(entries).toString() : '';
}

/**
 * Sends a request and returns the parsed JSON (or null for 202/204 without a body).
 * @throws {ApiError} for every non-2xx answer and for network failures.
 */
export async function api(method, path, { body, params, key, signal } = {}) {
  // The page's language, not the browser's: texts the API writes (inbox items, privacy notices) follow the switch.
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (key) headers['Idempotency-Key'] = key;
  let response;
  try {
    response = await fetch(path + query(params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'network' });
  }
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  if (type.includes('json')) {
    try { data = await response.json(); } catch { data = null; }
  }
  if (!response.ok) {
    const retry = response.headers.get('Retry-After');
    const error = new ApiError(response.status, data || {}, retry ? Number(retry) : null);
    if (error.status === 401 && error.code === 'unauthenticated' && session.token) session.clear();
    throw error;
  }
  return data;
}

/**
 * Whether an error says the server has no such route yet (a 404 or 405 for the route itself): views of modules that
 * are still being built show a short note instead of an error.
 */
export function unavailable(error) {
  return error instanceof ApiError && (error.status === 405 || (error.status === 404 && error.code === 'not_found'
    && /^No resource at/.test(error.detail)));
}

export const get = (path, params, options = {}) => api('GET', path, { ...options, params });
export const post = (path, body = {}, options = {}) => api('POST', path, { ...options, body });
export const put = (path, body, options = {}) => api('PUT', path, { ...options, body });
export const del = (path, options = {}) => api('DELETE', path, options);
export const patch = (path, body, options = {}) => api('PATCH', path, { ...options, body });

/** Path segment encoding for ids taken from the API. */
export const seg = (id) => encodeURIComponent(id);

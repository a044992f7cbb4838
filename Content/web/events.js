// Server-sent events for signed-in pages (API.md §13, §24). An EventSource cannot send Authorization, so every
// connection opens with a single-use ticket from POST /v1/event-tickets (valid 60 s), never with the token. The
// browser's own reconnection would reuse the spent ticket, so on any error the stream is closed and opened again with
// a fresh ticket after a short pause. A new ticket cannot resume with Last-Event-ID: every (re)connection calls
// `onOpen`, where the page reads again what it shows.
import { post, session, unavailable } from './api.js';

/** Pauses before reconnecting, growing with each failure in a row. */
const PAUSES = [1000, 2000, 5000, 10000, 30000];

/**
 * Opens `path` with a ticket and keeps it open. `onState` hears 'connecting', 'live', 'reconnecting', 'off' (closed
 * by the page) and 'unavailable' (the server has no tickets: the caller may fall back).
 * @returns {{close: () => void}}
 */
export function ticketStream(path, { events, onEvent, onOpen, onState }) {
  let source = null;
  let timer = null;
  let closed = false;
  let failures = 0;

  function retry() {
    if (closed) return;
    const pause = PAUSES[Math.min(failures, PAUSES.length - 1)];
    failures += 1;
    onState?.('reconnecting');
    timer = setTimeout(connect, pause);
  }

  async function connect() {
    timer = null;
    if (closed) return;
    if (failures === 0) onState?.('connecting');
    let ticket;
    try {
      ({ ticket } = await post('/v1/event-tickets'));
    } catch (error) {
      if (closed) return;
      // A server without tickets, or a token that stopped working (api.js has signed the tab out): stop here.
      if (unavailable(error) || error.status === 401 || error.status === 403) { onState?.('unavailable'); return; }
      retry();
      return;
    }
    if (closed) return;
    const es = new EventSource(`${path}${path.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}`);
    source = es;
    for (const name of events) {
      es.addEventListener(name, (event) => {
        if (source !== es) return;
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        onEvent(name, data);
      });
    }
    es.addEventListener('open', () => {
      if (source !== es) return;
      failures = 0;
      onState?.('live');
      onOpen?.();
    });
    es.addEventListener('error', () => {
      if (source !== es) return;
      // Close before the browser retries with the spent ticket (a 401 and a console error).
      es.close();
      source = null;
      retry();
    });
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
      source = null;
      onState?.('off');
    },
  };
}

// MARK: - the account stream

/** What `GET /v1/me/events` carries that this page uses. */
const ACCOUNT_EVENTS = ['inbox.created', 'order.updated', 'shipment.updated', 'conversation.message'];
const listeners = new Map();
let account = null;
let state = 'off';

function emit(name, data) {
  for (const listener of [...(listeners.get(name) || [])]) {
    try { listener(data); } catch { /* one page's listener must not stop the others */ }
  }
}

function setState(next) {
  state = next;
  // For people who look (and for the browser tests): whether live updates are on.
  document.documentElement.dataset.accountEvents = next;
  emit('state', next);
}

/**
 * Listens to the account stream: `name` is one of its events, or 'open' (a (re)connection: read again what the page
 * shows) or 'state'. Returns the function that stops listening (a view's cleanup).
 */
export function onAccountEvent(name, listener) {
  if (!listeners.has(name)) listeners.set(name, new Set());
  listeners.get(name).add(listener);
  return () => listeners.get(name)?.delete(listener);
}

/** 'live' while the account stream is open; the inbox badge polls less then. */
export function accountStreamState() {
  return state;
}

/** Opens the stream for the signed-in account, or closes it after a sign-out (called at start and on every session change). */
export function syncAccountStream() {
  const token = session.token;
  if (account && account.token === token) return;
  const old = account;
  account = null;
  old?.stream.close();
  if (!token) { setState('off'); return; }
  const mine = { token, stream: null };
  account = mine;
  mine.stream = ticketStream('/v1/me/events', {
    events: ACCOUNT_EVENTS,
    onEvent: emit,
    onOpen: () => emit('open'),
    onState: (next) => { if (account === mine || next === 'off') setState(next); },
  });
}

// The HTTP API as the UI uses it: JSON in and out, the CSRF header on writes, one error type, 401 → log in again.

/** An error answered by the API: {"error": {code, message, hint}} with its HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message, hint) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

const listeners = {unauthenticated: []};

/** fn runs when any call answers 401: the session is gone and the user must log in again. */
export function onUnauthenticated(fn) {
  listeners.unauthenticated.push(fn);
}

/** The CSRF token the server set in a cookie readable by scripts; sent back as X-CSRF-Token on every write. */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)steward_csrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : null;
}

export async function request(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', 'Steward did not answer: ' + cause.message,
      'Check that `steward serve` is still running, then try again.');
  }
  if (response.status === 401 && path !== '/api/auth/login') {
    listeners.unauthenticated.forEach(fn => fn());
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

async function errorOf(response) {
  try {
    const {error} = await response.json();
    return new ApiError(response.status, error.code, error.message, error.hint);
  } catch {
    return new ApiError(response.status, 'http_' + response.status, `${response.status} ${response.statusText}`, null);
  }
}

export const api = {
  get: path => request('GET', path),
  post: (path, body = {}) => request('POST', path, body),
  put: (path, body) => request('PUT', path, body),
  delete: path => request('DELETE', path),
};

/** Builds a query string from the values that are set: query({q: 'x', limit: 0}) → "?q=x&limit=0". */
export function query(params) {
  const set = Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return set.length ? '?' + new URLSearchParams(set).toString() : '';
}

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

export function isTerminal(statusOrType) {
  return TERMINAL.has(statusOrType);
}

/**
 * Follows a server-sent event stream: onEvent(type, data, id) for every event, its data parsed from JSON. The stream
 * of one task ends with its terminal event; then it is closed here, so that the browser does not reconnect (a stream
 * of many tasks passes endOnTerminal: false). onError(closed) runs when the connection fails: closed is true when the
 * server refused the stream (an error status: the browser gives up), false when the browser will reconnect by itself
 * (the server closed it early, say). onOpen runs each time the stream (re)connects. Returns a function that closes
 * the stream.
 */
export function follow(path, types, onEvent, {onError = () => {}, onOpen = () => {}, endOnTerminal = true} = {}) {
  const source = new EventSource(path, {withCredentials: true});
  source.addEventListener('open', () => onOpen());
  source.addEventListener('error', () => onError(source.readyState === EventSource.CLOSED));
  for (const type of types) {
    source.addEventListener(type, message => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = {text: message.data};
      }
      onEvent(type, data, message.lastEventId);
      if (endOnTerminal && isTerminal(type)) source.close();
    });
  }
  return () => source.close();
}

/** Every event type a task stream carries: the server's TaskEvent kinds (EventNamesTest keeps them equal), plus streamed text. */
export const TASK_EVENT_TYPES = ['status', 'started', 'plan', 'step', 'model_call', 'tool_call', 'tool_result',
  'approval_needed', 'question', 'answer', 'review', 'cost', 'memory', 'budget', 'text', 'done', 'failed',
  'cancelled'];

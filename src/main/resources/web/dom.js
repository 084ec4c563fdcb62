// Small DOM helpers: build elements without innerHTML, format money and time, show notices.

/**
 * h('button', {class: 'primary', onclick: fn}, 'Save') → <button class="primary">Save</button>.
 * Strings become text nodes (never HTML); null, undefined and false children are skipped; arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value; // properties such as value, checked, disabled
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces everything inside el with children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Millionths of a dollar as dollars: $1.50, $0.0123, $0.000020 (two significant digits below a cent), $0. */
export function money(micros) {
  const dollars = (Number(micros) || 0) / 1_000_000;
  if (dollars === 0) return '$0';
  if (Math.abs(dollars) >= 1) return '$' + dollars.toFixed(2);
  if (Math.abs(dollars) >= 0.01) return '$' + dollars.toFixed(4);
  return '$' + dollars.toPrecision(2);
}

export function number(n) {
  return (Number(n) || 0).toLocaleString('en-US');
}

/** 3.2 s, 45 s, 2 min 5 s, 1 h 3 min. */
export function seconds(total) {
  const s = Math.max(0, Math.round(Number(total) || 0));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

export function millis(ms) {
  if (ms === null || ms === undefined) return '';
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

/** Epoch milliseconds (or an ISO string) as local date and time; the full timestamp goes in the title. */
export function when(at) {
  if (at === null || at === undefined) return '';
  const date = new Date(typeof at === 'number' ? at : Date.parse(at));
  const text = date.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
  return h('time', {datetime: date.toISOString(), title: date.toISOString()}, text);
}

export function truncate(text, max) {
  const s = String(text ?? '');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Pretty JSON for arguments that may arrive as a JSON string or an object. */
export function prettyJson(value) {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

/** Who speaks in a task: each role has its name, colour (CSS class) and avatar letter. */
export const ROLES = {
  manager: {name: 'Manager', initial: 'M', blurb: 'plans the work'},
  employee: {name: 'Employee', initial: 'E', blurb: 'does the work'},
  supervisor: {name: 'Supervisor', initial: 'S', blurb: 'reviews the work'},
  user: {name: 'You', initial: 'Y', blurb: ''},
};

export function avatar(role) {
  const r = ROLES[role] ?? ROLES.employee;
  return h('span', {class: `avatar role-${role}`, 'aria-hidden': 'true'}, r.initial);
}

/** An error from the API (or anything thrown) as a box with its message and, when there is one, the hint. */
export function errorBox(error) {
  return h('div', {class: 'error-box', role: 'alert'},
    h('strong', {}, error.message || String(error)),
    error.hint ? h('p', {class: 'hint'}, error.hint) : null);
}

/** A short notice in the corner; errors stay until dismissed, others fade after a few seconds. */
export function notify(message, {kind = 'info', hint = null} = {}) {
  const area = document.getElementById('notices');
  if (!area) return;
  const close = h('button', {class: 'icon', 'aria-label': 'Dismiss', onclick: () => note.remove()}, '×');
  const note = h('div', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status'},
    h('div', {}, h('strong', {}, message), hint ? h('p', {class: 'hint'}, hint) : null), close);
  area.append(note);
  while (area.children.length > 3) area.firstElementChild.remove(); // the newest few are enough
  if (kind !== 'error') setTimeout(() => note.remove(), 4000);
}

export function notifyError(error) {
  notify(error.message || String(error), {kind: 'error', hint: error.hint});
}

/** A button that runs an async action once at a time, shows it is busy, and reports a failure in place. */
export function actionButton(label, action, attrs = {}) {
  const button = h('button', {type: 'button', ...attrs}, label);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await action(button);
    } catch (error) {
      notifyError(error);
    } finally {
      button.removeAttribute('aria-busy');
      if (button.isConnected && !button.dataset.done) button.disabled = false;
    }
  });
  return button;
}

/** A row of toggle buttons, one pressed: [[value, label], …]; onPick(value) when another is pressed. */
export function segmented(label, options, current, onPick) {
  const group = h('div', {class: 'segmented', role: 'group', 'aria-label': label},
    options.map(([value, text]) => h('button', {type: 'button', 'aria-pressed': String(value === current),
      onclick: click => {
        group.querySelectorAll('button').forEach(b => b.setAttribute('aria-pressed', String(b === click.currentTarget)));
        onPick(value);
      }}, text)));
  return group;
}

export function emptyState(text) {
  return h('p', {class: 'empty'}, text);
}

// The user's work across all pages: the tasks still going and the approvals waiting, kept current from the
// user's event stream (/api/events), shown in the header's Active panel and the Approvals badge.

import {TASK_EVENT_TYPES, api, follow, isTerminal} from './api.js';
import {actionButton, emptyState, fill, h, notifyError, truncate} from './dom.js';

const active = new Map(); // task id → {task, step, of}
const ended = new Set(); // ids whose end was seen: a slower lookup of the same task must not bring it back
const subscribers = new Set();
let pendingApprovals = 0;
let stopStream = null;
let approvals = true; // whether this user's role may use tools, and so has approvals to count

/** Starts following the signed-in user's events. */
export function startActivity(user) {
  stopActivity();
  approvals = user.role !== 'limited';
  // The stream carries what happens from now on; what is already going is read once it is open (and again after a
  // reconnect), so that nothing starts unseen in between.
  stopStream = follow('/api/events', TASK_EVENT_TYPES, onEvent, {endOnTerminal: false,
    onOpen: () => reload().catch(notifyError)});
}

/** Stops following, and forgets the panels that listened (a new sign-in builds new ones). */
export function stopActivity() {
  stopStream?.();
  stopStream = null;
  subscribers.clear();
  active.clear();
  ended.clear();
  pendingApprovals = 0;
}

/** fn(state) now and on every change; returns the function that unsubscribes. */
export function subscribe(fn) {
  subscribers.add(fn);
  fn(state());
  return () => subscribers.delete(fn);
}

/** Something changed the approvals outside the stream (a decision on the Approvals page): count them again. */
export async function approvalsChanged() {
  pendingApprovals = (await pending()).length;
  publish();
}

/** The approvals waiting; none for a user whose role has no tools (the server would answer 403). */
async function pending() {
  return approvals ? (await api.get('/api/approvals?status=pending')).approvals : [];
}

function state() {
  return {tasks: [...active.values()], pendingApprovals};
}

function publish() {
  const now = state();
  subscribers.forEach(fn => fn(now));
}

async function reload() {
  const [{tasks}, approvals] = await Promise.all([api.get('/api/tasks?limit=50'), pending()]);
  active.clear();
  tasks.filter(task => !isTerminal(task.status)).forEach(task => active.set(task.id, {task}));
  pendingApprovals = approvals.length;
  publish();
}

async function onEvent(type, event) {
  const id = event.task_id;
  if (!id || type === 'text') return; // streamed text changes nothing here
  const entry = active.get(id);
  if (isTerminal(type) || (type === 'status' && isTerminal(event.data?.to))) {
    ended.add(id);
    active.delete(id);
  } else if (!entry && !ended.has(id)) {
    try {
      const {task} = await api.get(`/api/tasks/${encodeURIComponent(id)}`);
      if (!isTerminal(task.status) && !ended.has(id)) active.set(id, {task});
    } catch (error) {
      if (error.status !== 404) notifyError(error);
    }
  } else if (type === 'status') {
    entry.task.status = event.data.to;
  } else if (type === 'step') {
    entry.step = event.data.step;
    entry.of = event.data.of;
  }
  if (type === 'approval_needed' || (type === 'status' && event.data?.from === 'waiting_approval')) {
    await approvalsChanged().catch(notifyError);
  }
  publish();
}

/** The header's "Active" panel: what is running now, where it is, and a way to stop it. */
export function activePanel() {
  const count = h('span', {class: 'count'}, '0');
  const list = h('div', {class: 'panel-body'});
  const panel = h('details', {class: 'active-panel'},
    h('summary', {'aria-label': 'Active tasks'}, h('span', {class: 'pulse', 'aria-hidden': 'true'}), 'Active ', count),
    h('div', {class: 'popover', role: 'region', 'aria-label': 'Active tasks'}, h('h2', {}, 'Active tasks'), list));
  panel.addEventListener('keydown', key => {
    if (key.key === 'Escape' && panel.open) {
      panel.open = false;
      panel.querySelector('summary').focus();
    }
  });
  subscribe(({tasks}) => {
    count.textContent = String(tasks.length);
    panel.classList.toggle('busy', tasks.length > 0);
    fill(list, tasks.length ? h('ul', {class: 'active-tasks'}, tasks.map(activeTask)) : emptyState('Nothing running.'));
  });
  return panel;
}

function activeTask({task, step, of}) {
  const where = task.conversation_id ? `#/chat/${encodeURIComponent(task.conversation_id)}` : '#/chat';
  return h('li', {dataset: {taskId: task.id}},
    h('a', {href: where}, truncate(task.input ?? task.intent ?? task.id, 60)),
    h('span', {class: `status status-${task.status}`}, String(task.status).replace('_', ' ')),
    step ? h('span', {class: 'step'}, `step ${step} of ${of}`) : null,
    actionButton('Stop', () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/cancel`), {class: 'link'}));
}

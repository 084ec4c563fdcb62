// Schedules and crews: when each runs next, how it last went, its history, and Run now; then the inbox.

import {api} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, notify, truncate, when} from './dom.js';

export function automationPage(main, {user}) {
  const schedules = h('div', {class: 'schedule-list'});
  const crews = h('div', {class: 'crew-list'});
  const inbox = h('div', {class: 'inbox'});

  async function load() {
    if (user.role === 'admin') {
      try {
        const answer = await api.get('/api/schedules');
        fill(schedules, answer.schedules.length ? answer.schedules.map(s => scheduleCard(s, load))
          : emptyState('No schedules yet. Add one with: steward schedules add NAME --cron "0 7 * * *" --task "…"'));
      } catch (error) {
        fill(schedules, errorBox(error));
      }
      try {
        const answer = await api.get('/api/crews');
        fill(crews, answer.crews.map(c => crewCard(c, load)));
      } catch (error) {
        fill(crews, errorBox(error));
      }
    }
    try {
      const answer = await api.get('/api/notifications?limit=20');
      fill(inbox, answer.notifications.length ? answer.notifications.map(n => notificationCard(n, load))
        : emptyState('Nothing in your inbox.'));
    } catch (error) {
      fill(inbox, errorBox(error));
    }
  }

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Automation')),
    h('p', {class: 'lead'}, 'What Steward does on its own: schedules and crews that steward serve runs, and what they told you.'),
    user.role === 'admin' ? [h('h2', {}, 'Schedules'), schedules, h('h2', {}, 'Crews'), crews] : null,
    h('h2', {}, 'Inbox'), inbox);
  load();
}

function history(path) {
  const body = h('div', {class: 'history'});
  return h('details', {ontoggle: async event => {
    if (!event.target.open) return;
    try {
      const {runs} = await api.get(path);
      fill(body, runs.length ? h('ul', {}, runs.map(r => h('li', {},
        when(r.started_at), ` · ${r.trigger} · `, h('span', {class: `status status-${r.status}`}, r.status),
        r.task_id ? [' · task ', h('code', {}, r.task_id)] : null,
        r.summary ? h('div', {class: 'sub'}, truncate(r.summary, 200)) : null))) : emptyState('No runs yet.'));
    } catch (error) {
      fill(body, errorBox(error));
    }
  }}, h('summary', {}, 'History'), body);
}

/** Runs one now, then looks every second (for up to two minutes) until its new run has ended, and shows it. */
async function runAndWait(runPath, historyPath, label, reload) {
  const before = (await api.get(historyPath)).runs.length;
  await api.post(runPath);
  notify(`Started ${label}; its result shows here when it is done.`);
  for (let i = 0; i < 120; i++) {
    await new Promise(resolve => setTimeout(resolve, 1000));
    const {runs} = await api.get(historyPath);
    if (runs.length > before && runs[0].status !== 'running') break;
  }
  await reload();
}

function scheduleCard(s, reload) {
  const path = `/api/schedules/${encodeURIComponent(s.name)}`;
  const run = () => runAndWait(`${path}/run`, `${path}/history`, s.name, reload);
  return h('article', {class: 'card schedule', dataset: {schedule: s.name}},
    h('header', {class: 'card-head'}, h('strong', {}, s.name),
      h('span', {class: 'sub'}, `${s.description} (${s.tz})`),
      s.paused ? h('span', {class: 'status status-paused'}, 'paused') : null),
    h('p', {class: 'what'}, truncate(s.task, 200)),
    h('p', {class: 'sub'}, 'Next run: ', h('span', {class: 'next-run'}, s.next_run ?? '—'),
      ' · last: ', h('span', {class: 'last-status'}, s.last_status ?? 'never run'), s.last_run ? ` (${s.last_run})` : null),
    h('div', {class: 'actions'}, actionButton('Run now', run, {class: 'primary'})),
    history(`/api/schedules/${encodeURIComponent(s.name)}/history`));
}

function crewCard(c, reload) {
  const run = () => runAndWait(`/api/crews/${encodeURIComponent(c.name)}/run`,
    `/api/crews/${encodeURIComponent(c.name)}/history`, `crew ${c.name}`, reload);
  const last = c.runs?.[0];
  return h('article', {class: 'card crew', dataset: {crew: c.name}},
    h('header', {class: 'card-head'}, h('strong', {}, c.name), h('span', {class: 'sub'}, c.bundled ? 'bundled' : 'yours')),
    h('p', {class: 'what'}, c.description ?? ''),
    h('p', {class: 'sub'}, 'Last: ', h('span', {class: 'last-status'}, last ? `${last.status} ${when(last.started_at)}` : 'never run')),
    last?.summary ? h('details', {}, h('summary', {}, 'Steps'), h('pre', {}, last.summary)) : null,
    h('div', {class: 'actions'}, actionButton('Run now', run, {class: 'primary'})));
}

function notificationCard(n, reload) {
  const failed = (n.deliveries ?? []).filter(d => d.status !== 'sent');
  return h('article', {class: `card notification ${n.read_at ? 'read' : 'unread'}`, dataset: {notification: n.id}},
    h('header', {class: 'card-head'}, h('strong', {}, n.title), h('span', {class: 'sub'}, `${n.kind} · `, when(n.created_at))),
    n.body ? h('pre', {class: 'body'}, truncate(n.body, 1000)) : null,
    failed.map(d => h('p', {class: 'sub delivery'}, `${d.channel}: ${d.status} after ${d.attempts} attempts`,
      d.last_error ? ` — ${d.last_error}` : '')),
    n.read_at ? null : h('div', {class: 'actions'}, actionButton('Mark read', async () => {
      await api.post(`/api/notifications/${encodeURIComponent(n.id)}/read`);
      await reload();
    })));
}

/** The bell in the header: how many notifications are unread; it opens the inbox. Looks again every 30 s. */
export function notificationBell() {
  const badge = h('span', {class: 'badge', hidden: true});
  const bell = h('a', {class: 'bell', href: '#/automation', title: 'Notifications', 'aria-label': 'Notifications'},
    '🔔', badge);
  async function refresh() {
    try {
      const {unread} = await api.get('/api/notifications?unread=true&limit=1');
      badge.hidden = !unread;
      badge.textContent = String(unread);
      bell.setAttribute('aria-label', `Notifications: ${unread} unread`);
    } catch {
      badge.hidden = true; // no inbox on this server, or signed out: the bell stays quiet
    }
  }
  refresh();
  const timer = setInterval(() => bell.isConnected ? refresh() : clearInterval(timer), 30_000);
  return bell;
}

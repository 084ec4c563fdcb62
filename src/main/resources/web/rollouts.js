// Rollouts: each alias moving to a new model — its phase along the plan, both arms side by side, the timeline,
// and (for an admin) the controls. Refreshes every few seconds while open.

import {api} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, millis, number, when} from './dom.js';

const REFRESH_MS = 3000;
const ACTIONS = {running: ['pause', 'promote', 'rollback', 'abort'], paused: ['resume', 'promote', 'rollback', 'abort']};

export function rolloutsPage(main, {user, params}) {
  const list = h('div', {class: 'rollout-list'});
  const detail = h('section', {class: 'rollout-detail', 'aria-live': 'polite'});
  let selected = params[0] ?? null;
  let timer = null;

  async function load() {
    try {
      const {rollouts = []} = await api.get('/api/rollouts');
      selected ??= rollouts.find(r => r.state === 'running' || r.state === 'paused')?.name ?? rollouts[0]?.name ?? null;
      fill(list, rollouts.length === 0
        ? emptyState('No rollouts yet. Start one with: steward rollout start NAME --alias A --candidate MODEL --plan PLAN')
        : h('table', {class: 'rollouts'},
          h('thead', {}, h('tr', {}, ['Name', 'Alias', 'Candidate', 'State', 'Phase', 'Started'].map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, rollouts.map(r => h('tr', {'aria-selected': String(r.name === selected)},
            h('td', {}, h('a', {href: `#/rollouts/${encodeURIComponent(r.name)}`, onclick: () => { selected = r.name; }}, r.name)),
            h('td', {}, h('code', {}, r.alias)), h('td', {}, h('code', {}, r.candidate)),
            h('td', {}, h('span', {class: `state state-${r.state}`}, r.state.replace('_', ' '))),
            h('td', {}, r.phase), h('td', {}, when(r.created_at)))))));
      if (selected) fill(detail, view(await api.get(`/api/rollouts/${encodeURIComponent(selected)}`), user, load));
      else fill(detail);
    } catch (error) {
      fill(detail, errorBox(error));
    }
  }

  fill(main,
    h('header', {class: 'page-header'}, h('h1', {}, 'Rollouts')),
    h('p', {class: 'lead'}, 'Aliases moving to a new model: shadow, canary, ramp, promotion — rolled back on their own when a gate fails.'),
    list, detail);
  load();
  timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function view(r, user, reload) {
  const current = r.phase_index;
  const ended = !(r.state === 'running' || r.state === 'paused');
  const timeline = h('ol', {class: 'phases', 'aria-label': 'Phases'}, r.steps.map((step, i) =>
    h('li', {class: i < current || (r.state === 'promoted') ? 'done' : i === current && !ended ? 'current' : 'todo',
      'aria-current': i === current && !ended ? 'step' : null}, step)));
  const controls = user.role === 'admin' && !ended
    ? h('div', {class: 'actions'}, ACTIONS[r.state].map(action => actionButton(action, async () => {
      if ((action === 'promote' || action === 'rollback' || action === 'abort')
        && !confirm(`${action} rollout ${r.name}?`)) return;
      await api.post(`/api/rollouts/${encodeURIComponent(r.name)}/${action}`);
      await reload();
    }, {class: action === 'rollback' || action === 'abort' ? 'danger' : null})))
    : null;
  return [
    h('h2', {}, r.name, ' ', h('span', {class: `state state-${r.state}`}, r.state.replace('_', ' '))),
    h('p', {}, h('code', {}, r.alias), ': ', h('code', {}, r.baseline), ' → ', h('code', {}, r.candidate)),
    r.reason ? h('p', {class: ended && r.state !== 'promoted' ? 'bad' : 'hint'}, r.reason) : null,
    timeline,
    h('table', {class: 'arms'},
      h('thead', {}, h('tr', {}, ['Arm', 'Model', 'Requests', 'Errors', 'p95', 'Cost', 'Agreement'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, ['baseline', 'candidate'].map(arm => armRow(arm, r.arms[arm])))),
    controls,
    h('h3', {}, 'Timeline'),
    h('ul', {class: 'timeline'}, r.timeline.map(e => h('li', {class: `event-${e.kind}`}, when(e.at), ' ', e.message))),
  ];
}

function armRow(name, arm) {
  return h('tr', {dataset: {arm: name}},
    h('th', {scope: 'row'}, name), h('td', {}, h('code', {}, arm.model)),
    h('td', {class: 'num'}, number(arm.requests)), h('td', {class: 'num'}, number(arm.errors)),
    h('td', {class: 'num'}, millis(arm.p95_ms)), h('td', {class: 'num'}, `$${arm.cost_usd.toFixed(4)}`),
    h('td', {class: 'num'}, arm.agreement == null ? '—' : `${Math.round(arm.agreement * 100)}%`));
}

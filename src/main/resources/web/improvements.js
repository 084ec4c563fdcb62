// Improvements: what the learning loop proposes from Steward's history, with its evidence and replayed evaluation;
// an admin approves (one commit of the configuration history), rejects, or rolls back an applied one.

import {api} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, prettyJson, when} from './dom.js';

const ACTIONS = {pending: ['approve', 'reject'], applied: ['rollback']};

export function improvementsPage(main, {user}) {
  const list = h('section', {class: 'improvements', 'aria-live': 'polite'});

  async function load() {
    try {
      const {proposals = []} = await api.get('/api/improvements');
      fill(list, proposals.length === 0
        ? emptyState('No proposals yet. Analyse now, or wait for the next periodic analysis.')
        : proposals.map(p => card(p, user, load)));
    } catch (error) {
      fill(list, errorBox(error));
    }
  }

  const analyze = user.role === 'admin' ? actionButton('Analyse now', async () => {
    await api.post('/api/improvements/analyze');
    await load();
  }) : null;
  fill(main,
    h('header', {class: 'page-header'}, h('h1', {}, 'Improvements'), analyze),
    h('p', {class: 'lead'}, 'Changes Steward proposes from what went wrong. Nothing changes until you approve; every applied change can be rolled back.'),
    list);
  load();
}

/** The change in the words of the file it edits. */
function describe(change) {
  switch (change?.type) {
    case 'point_alias': return `steward.yaml — routing.aliases.${change.alias}: ${change.from} → ${change.to}`;
    case 'add_preference': return `preferences.yaml — for ${change.task_type} requests of ${change.user_id}: ${change.lines.join(' ')}`;
    case 'set_routing': return `steward.yaml — routing.${change.key}: ${change.from} → ${change.to}`;
    case 'run_memory_upkeep': return `memory of ${change.user_id} — steward memory upkeep --apply (`
        + Object.entries(change.fixable).map(([kind, n]) => `${n} ${kind.replace('_', ' ')}`).join(', ') + ')'
        + (change.run_id ? `: run ${change.run_id}` : '');
    default: return prettyJson(change);
  }
}

function card(p, user, reload) {
  const actions = user.role === 'admin' ? (ACTIONS[p.status] ?? []) : [];
  return h('article', {class: `proposal status-${p.status}`, dataset: {id: p.id}},
    h('header', {}, h('span', {class: 'kind'}, p.kind), ' ', h('strong', {class: 'title'}, p.title), ' ',
      h('span', {class: `state state-${p.status}`}, p.status.replace('_', ' '))),
    h('p', {class: 'change'}, h('code', {}, describe(p.change))),
    p.evaluation ? h('p', {class: p.evaluation.regresses ? 'bad' : 'evaluation'}, 'Evaluation: ', p.evaluation.verdict) : null,
    h('details', {}, h('summary', {}, 'Evidence'), h('pre', {}, prettyJson(p.evidence))),
    h('p', {class: 'hint'}, 'Proposed ', when(p.created_at)),
    actions.length ? h('div', {class: 'actions'}, actions.map(action => actionButton(action, async () => {
      if (action !== 'reject' && !confirm(`${action} proposal ${p.id}?`)) return;
      await api.post(`/api/improvements/${encodeURIComponent(p.id)}/${action}`);
      await reload();
    }, {class: action === 'approve' ? 'primary' : 'danger'}))) : null);
}

// The memory page's upkeep: what `steward memory upkeep` would change (duplicates, stale facts, old episodes to
// summarise, …), with Apply and, after it, Undo of that run.

import {api} from './api.js';
import {actionButton, errorBox, fill, h, notify} from './dom.js';

export function upkeepSection(onChange) {
  const section = h('section', {class: 'upkeep', 'aria-label': 'Upkeep'});
  let lastRun = null;

  async function load() {
    try {
      render(await api.get('/api/memory/upkeep'));
    } catch (error) {
      fill(section, h('h2', {}, 'Upkeep'), errorBox(error));
    }
  }

  function render(report) {
    const fixable = report.findings.filter(f => f.fixable).length;
    fill(section, h('h2', {}, 'Upkeep'),
      report.findings.length
        ? h('ul', {class: 'upkeep-findings'}, report.findings.map(finding))
        : h('p', {class: 'empty'}, 'Memory is tidy: nothing to merge, expire or summarise.'),
      h('div', {class: 'toolbar'},
        fixable ? actionButton(`Apply ${fixable} change${fixable === 1 ? '' : 's'}`, apply, {class: 'primary'}) : null,
        lastRun ? actionButton('Undo the last run', undo) : null));
  }

  async function apply() {
    const run = await api.post('/api/memory/upkeep/apply', {});
    lastRun = run.run_id;
    notify(`Applied ${run.changes} change${run.changes === 1 ? '' : 's'} (run ${run.run_id}).`);
    await load();
    onChange();
  }

  async function undo() {
    const undone = await api.post('/api/memory/upkeep/undo', {run: lastRun});
    lastRun = null;
    notify(`Put back ${undone.restored} change${undone.restored === 1 ? '' : 's'}`
      + (undone.skipped ? `; ${undone.skipped} changed since, left as they are.` : '.'));
    await load();
    onChange();
  }

  load();
  return section;
}

function finding(f) {
  const kind = String(f.kind).toLowerCase();
  return h('li', {class: 'finding', dataset: {kind}},
    h('span', {class: 'kind'}, kind.replace('_', ' ')), ' ', h('span', {class: 'description'}, f.description),
    h('div', {class: 'fix'}, (f.fixable ? 'Apply will ' : 'Yours to do: ') + f.fix));
}

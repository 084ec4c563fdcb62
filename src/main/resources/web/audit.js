// The audit log: every tool call, approval and memory change, newest first, and whether the hash chain holds.

import {api, query} from './api.js';
import {emptyState, errorBox, fill, h, money, prettyJson, truncate, when} from './dom.js';

const PAGE = 50;

export function auditPage(main, {user}) {
  const chain = h('p', {class: 'chain', role: 'status'});
  const rows = h('tbody');
  const more = h('button', {type: 'button', hidden: true}, 'Older entries');
  const problem = h('div');
  let before = null;

  async function load() {
    more.disabled = true;
    try {
      const result = await api.get('/api/audit' + query({limit: PAGE, before}));
      const entries = result.entries ?? [];
      fill(chain, result.chain_ok
        ? h('span', {class: 'ok'}, '✓ The log is intact: every entry is chained to the one before it.')
        : h('span', {class: 'bad'}, '✗ The hash chain is broken: entries were changed or removed outside Steward.',
          h('span', {class: 'hint'}, ' Run steward audit verify on the server to see where.')));
      if (!before && entries.length === 0) rows.append(h('tr', {}, h('td', {colspan: 6}, emptyState('Nothing recorded yet.'))));
      entries.forEach(entry => rows.append(row(entry, user)));
      before = entries.length ? entries[entries.length - 1].created_at : before; // the server pages by time
      more.hidden = entries.length < PAGE;
    } catch (error) {
      fill(problem, errorBox(error));
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);

  fill(main,
    h('header', {class: 'page-header'}, h('h1', {}, 'Audit log')),
    h('p', {class: 'lead'}, user.role === 'admin' ? 'What everyone did through Steward.' : 'What you did through Steward.'),
    chain, problem,
    h('div', {class: 'table-wrap'}, h('table', {class: 'audit'},
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Outcome', 'Cost', 'Details'].map(t => h('th', {scope: 'col'}, t)))),
      rows)),
    more);
  load();
}

function row(entry, me) {
  const what = [entry.kind, entry.tool].filter(Boolean).join(' · ');
  const details = [entry.detail, entry.arguments ? prettyJson(entry.arguments) : null].filter(Boolean).join('\n');
  return h('tr', {dataset: {seq: entry.seq}},
    h('td', {}, when(entry.created_at)),
    h('td', {}, entry.user_id === me.id ? `${me.name} (you)` : entry.user_id ?? ''),
    h('td', {}, h('code', {}, what)),
    h('td', {}, h('span', {class: `outcome outcome-${entry.outcome}`}, entry.outcome ?? '')),
    h('td', {class: 'num'}, entry.cost_micros ? money(entry.cost_micros) : ''),
    h('td', {}, details
      ? h('details', {}, h('summary', {}, truncate(entry.detail || 'arguments', 60)), h('pre', {}, details))
      : ''));
}

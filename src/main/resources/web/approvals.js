// The approvals queue: actions waiting for a yes or no, what each will do and cost; and the decisions made.

import {api, query} from './api.js';
import {approvalsChanged} from './activity.js';
import {actionButton, emptyState, errorBox, fill, h, money, notify, prettyJson, segmented, when} from './dom.js';
import {DECISIONS} from './task-view.js';

const FILTERS = [['pending', 'Waiting'], ['', 'All']];

export function approvalsPage(main) {
  let status = 'pending';
  const list = h('div', {class: 'approval-list'});
  const filters = segmented('Show', FILTERS, status, value => {
    status = value;
    load();
  });

  async function load() {
    try {
      const {approvals} = await api.get('/api/approvals' + query({status}));
      fill(list, approvals.length ? approvals.map(approval => card(approval, load))
        : emptyState(status === 'pending' ? 'Nothing is waiting for you.' : 'No approvals yet.'));
    } catch (error) {
      fill(list, errorBox(error));
    }
  }

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Approvals'), filters),
    h('p', {class: 'lead'}, 'Actions with a risk or a cost wait here for your decision. Nothing runs until you approve it.'),
    list);
  load();
}

function card(approval, reload) {
  const pending = approval.status === 'pending';
  // A payment above second_factor_above needs the approver's one-time code as well as the click.
  const code = pending && approval.needs_code ? h('input', {type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
    pattern: '[0-9]{6}', maxlength: '6', placeholder: '123456', 'aria-label': 'One-time code', class: 'otp'}) : null;
  const decide = verb => async () => {
    const body = verb === 'approve' && code ? {code: code.value.trim()} : undefined;
    const decided = await api.post(`/api/approvals/${encodeURIComponent(approval.id)}/${verb}`, body);
    notify(DECISIONS[decided.approval?.status] ?? 'Decided.');
    await approvalsChanged();
    await reload();
  };
  const whatId = `what-${approval.id}`;
  return h('article', {class: `card approval ${approval.status}`, dataset: {approvalId: approval.id}},
    h('header', {class: 'card-head'},
      h('span', {class: `risk risk-${approval.risk}`}, approval.risk ? `${approval.risk} risk` : 'approval'),
      h('span', {class: `status status-${approval.status}`}, approval.status),
      h('span', {class: 'sub'}, when(approval.created_at))),
    h('p', {class: 'what', id: whatId}, approval.what || `Run ${approval.tool}`),
    h('p', {class: 'price'}, `Tool ${approval.tool} · costs ${money(approval.cost_micros)}`,
      pending && approval.expires_at ? [' · expires ', when(approval.expires_at)] : null),
    approval.untrusted?.length ? untrustedNote(approval.untrusted) : null,
    approval.arguments ? h('details', {}, h('summary', {}, 'Arguments'), h('pre', {}, prettyJson(approval.arguments))) : null,
    approval.task_id ? h('p', {class: 'sub'}, 'Task ', h('code', {}, approval.task_id)) : null,
    pending ? h('div', {class: 'actions'},
      code ? h('label', {}, 'One-time code ', code) : null,
      actionButton('Approve', decide('approve'), {class: 'primary', 'aria-describedby': whatId}),
      actionButton('Reject', decide('reject'), {class: 'danger', 'aria-describedby': whatId})) : null);
}

/** What the agent read before asking: content from outside that may have steered it (see docs/security.md). */
function untrustedNote(untrusted) {
  return h('div', {class: 'untrusted', role: 'note'},
    h('p', {}, h('strong', {}, 'Read before this request: '), 'content from outside, which may carry instructions that '
      + 'were not yours. Approve only if you asked for this.'),
    h('ul', {}, ...untrusted.map(u => h('li', {}, h('code', {}, u.tool), ' ', h('q', {}, u.snippet)))));
}

// Code: ask for a change in a workspace project; watch the Manager plan, the Employee write and test, the Supervisor
// review, round by round; read the diff and the test runs; apply a change that passed to the project.

import {api, follow, TASK_EVENT_TYPES} from './api.js';
import {actionButton, errorBox, fill, h, millis, notify} from './dom.js';
import {diffView} from './diff.js';

export function codePage(main, {params}) {
  const project = h('input', {type: 'text', id: 'code-project', required: true, placeholder: 'calc'});
  const request = h('textarea', {id: 'code-request', rows: 3, required: true,
    placeholder: 'add a function mul(a, b) with a test'});
  const test = h('input', {type: 'text', id: 'code-test', placeholder: 'told from the project (python3 -m unittest, make test…)'});
  const rounds = h('input', {type: 'number', id: 'code-rounds', min: 1, max: 10, value: '3'});
  const progress = h('ol', {class: 'code-progress', 'aria-label': 'Progress'});
  const result = h('div', {class: 'code-result'});
  let stop = null;

  const watch = taskId => {
    stop?.();
    fill(progress);
    fill(result);
    location.hash = `#/code/${encodeURIComponent(taskId)}`;
    stop = follow(`/api/tasks/${encodeURIComponent(taskId)}/events`, TASK_EVENT_TYPES, (type, event) => {
      if (type === 'text' || type === 'started') return;
      progress.append(h('li', {class: `event event-${type}`},
        event.role ? h('span', {class: `role role-${event.role}`}, event.role) : null, ' ',
        h('span', {class: 'message'}, event.message ?? type)));
      if (type === 'done' || type === 'failed' || type === 'cancelled') show(taskId, result);
    });
  };

  const start = async () => {
    const body = {request: request.value, project: project.value, rounds: Number(rounds.value) || 3};
    if (test.value.trim()) body.test = test.value.trim();
    const task = await api.post('/api/code', body);
    watch(task.id);
  };

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Code')),
    h('p', {class: 'lead'}, 'Steward works on a copy of the project: it writes the files, runs the tests in the '
      + 'sandbox and tries again when they fail. Your project changes only when you apply the diff.'),
    h('form', {class: 'code-form', onsubmit: event => event.preventDefault()},
      h('label', {for: 'code-project'}, 'Project folder'), project,
      h('label', {for: 'code-request'}, 'Change'), request,
      h('label', {for: 'code-test'}, 'Test command'), test,
      h('label', {for: 'code-rounds'}, 'Rounds'), rounds,
      actionButton('Start', start, {class: 'primary'})),
    progress, result);
  if (params[0]) watch(params[0]);
  return () => stop?.();
}

async function show(taskId, into) {
  try {
    const code = await api.get(`/api/code/${encodeURIComponent(taskId)}`);
    const apply = actionButton('Apply to project', async button => {
      const {written} = await api.post(`/api/code/${encodeURIComponent(taskId)}/apply`);
      button.dataset.done = 'true';
      button.disabled = true;
      notify(`Applied: ${written.join(', ')}`);
    }, {class: 'primary'});
    fill(into,
      h('p', {class: `code-verdict ${code.passed ? 'passed' : 'not-passed'}`, role: 'status'},
        code.passed ? `Passed after ${code.rounds} round${code.rounds === 1 ? '' : 's'}.` : `Not passed: ${code.reason}`),
      h('ul', {class: 'test-runs', 'aria-label': 'Test runs'}, code.tests.map((run, i) =>
        h('li', {class: run.exit_code === 0 && !run.timed_out ? 'passed' : 'failed'},
          `Round ${i + 1}: ${run.exit_code === 0 && !run.timed_out ? 'tests passed' : `tests failed (exit ${run.exit_code})`}`
          + ` in ${millis(run.duration_ms)}`,
          run.output ? h('details', {}, h('summary', {}, 'Output'), h('pre', {}, run.output)) : null))),
      h('h2', {}, 'Diff'),
      diffView(code.diff),
      code.passed ? h('div', {class: 'actions'}, apply) : null);
  } catch (error) {
    fill(into, errorBox(error));
  }
}

// Skills: every skill with its status and success rate, its SKILL.md rendered, a run in the sandbox, enable/disable.

import {api} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, millis, notify} from './dom.js';
import {renderMarkdown} from './markdown.js';

export function skillsPage(main, {user}) {
  const list = h('div', {class: 'skill-list'});

  async function load() {
    try {
      const {skills} = await api.get('/api/skills');
      fill(list, skills.length ? skills.map(skill => card(skill, user, load))
        : emptyState('No skills yet. Add one with steward skills add PATH.'));
    } catch (error) {
      fill(list, errorBox(error));
    }
  }

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Skills')),
    h('p', {class: 'lead'}, 'Reusable abilities in the Agent Skills format. Scripts run in a sandbox: the workspace is '
      + 'the only place they can write, and they have no network unless the skill declares it and you approve it.'),
    list);
  load();
}

/** "3 of 4 runs succeeded", or that it never ran; a skill that keeps failing says so. */
export function successRate(stats) {
  if (!stats.runs) return 'never run';
  const text = `${stats.successes} of ${stats.runs} runs succeeded · ${millis(stats.mean_duration_ms)} on average`;
  return stats.failing ? `keeps failing: ${text}` : text;
}

function card(skill, user, reload) {
  const detail = h('div', {class: 'skill-detail'});
  const toggle = async () => {
    await api.post(`/api/skills/${encodeURIComponent(skill.name)}/${skill.enabled ? 'disable' : 'enable'}`);
    notify(`${skill.name} is ${skill.enabled ? 'disabled' : 'enabled'}.`);
    await reload();
  };
  const status = skill.status === 'ready' && !skill.enabled ? 'disabled' : skill.status;
  return h('article', {class: `card skill ${skill.stats.failing ? 'failing' : ''}`, dataset: {skill: skill.name}},
    h('header', {class: 'card-head'},
      h('strong', {}, skill.name),
      h('span', {class: `status status-${status}`}, status),
      h('span', {class: 'sub'}, skill.origin)),
    h('p', {class: 'description'}, skill.description),
    h('p', {class: `rate${skill.stats.failing ? ' failing' : ''}`}, successRate(skill.stats),
      skill.stats.last_error ? h('span', {class: 'sub'}, ` · last error: ${skill.stats.last_error}`) : null),
    skill.unavailable ? h('p', {class: 'sub'}, skill.unavailable) : null,
    h('div', {class: 'actions'},
      actionButton('Open', () => open(skill, detail)),
      user.role === 'admin' && skill.status === 'ready'
        ? actionButton(skill.enabled ? 'Disable' : 'Enable', toggle) : null),
    detail);
}

async function open(skill, detail) {
  try {
    const full = await api.get(`/api/skills/${encodeURIComponent(skill.name)}`);
    const body = h('div', {class: 'markdown skill-body'});
    renderMarkdown(body, full.body);
    fill(detail, body, full.scripts?.length && skill.status === 'ready' && skill.enabled ? runner(full) : null);
  } catch (error) {
    fill(detail, errorBox(error));
  }
}

function runner(skill) {
  const script = h('select', {'aria-label': 'Script'}, ...skill.scripts.map(s => h('option', {value: s}, s)));
  const args = h('input', {type: 'text', placeholder: 'arguments, separated by spaces', 'aria-label': 'Arguments'});
  const output = h('div', {class: 'skill-output'});
  const run = async () => {
    const {outcome} = await api.post(`/api/skills/${encodeURIComponent(skill.name)}/run`,
      {script: script.value, args: args.value.split(/\s+/).filter(Boolean)});
    fill(output, result(outcome));
  };
  return h('form', {class: 'skill-run', onsubmit: event => event.preventDefault()},
    script, args, actionButton('Run', run, {class: 'primary'}), output);
}

function result(outcome) {
  // The gate's outcome: the script's result when it ran and succeeded, else {status, error, content?}.
  if (outcome.status === 'needs_approval') {
    return h('p', {class: 'sub'}, `Waiting for approval (network use is approved once per skill): `,
      h('a', {href: '#approvals'}, 'open Approvals'));
  }
  const content = outcome.status ? outcome.content ?? {} : outcome;
  return [
    outcome.status ? h('p', {class: 'error'}, outcome.error ?? 'The run failed.') : null,
    content.stdout ? h('pre', {class: 'stdout'}, content.stdout) : null,
    content.stderr ? h('pre', {class: 'stderr'}, content.stderr) : null,
  ];
}

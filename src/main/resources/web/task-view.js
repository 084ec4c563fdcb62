// One task, as it happens or as it happened: who speaks (Manager, Employee, Supervisor), the plan, a progress bar
// with step k of n and time left, tool calls as they run, approvals and questions answered in place, the answer.

import {ROLES, actionButton, avatar, errorBox, h, fill, millis, money, number, prettyJson, seconds, truncate} from './dom.js';
import {TASK_EVENT_TYPES, api, follow, isTerminal} from './api.js';
import {renderMarkdown} from './markdown.js';
import {approvalsChanged} from './activity.js';
import {thumbs} from './feedback.js';

const WORKING = {
  queued: {role: 'employee', text: 'Waiting to start'},
  planning: {role: 'manager', text: 'Manager is planning'},
  running: {role: 'employee', text: 'Employee is working'},
  reviewing: {role: 'supervisor', text: 'Supervisor is reviewing'},
};

/** What became of an approval, by its status. */
export const DECISIONS = {
  approved: 'Approved: running it now.',
  done: 'Approved: done.',
  failed: 'Approved, but it failed.',
  rejected: 'Rejected: it will not run.',
  expired: 'Expired: it did not run.',
  decided: 'Decided elsewhere.',
};

export class TaskView {
  /**
   * @param task the task JSON (as GET /api/tasks/{id} or POST /api/chat answer it)
   * @param onFinished called once with the final task when it ends
   */
  constructor(task, {onFinished = () => {}} = {}) {
    this.task = task;
    this.onFinished = onFinished;
    this.lastSeq = 0;
    this.turn = null;
    this.segment = null;
    this.pendingCards = new Map();
    this.runningTools = [];
    this.actions = [];
    this.cost = task.cost_micros ?? 0;
    this.label = h('span', {class: 'progress-label'});
    this.bar = h('progress', {max: 1, value: 0, 'aria-label': 'Progress'});
    this.progress = h('div', {class: 'progress', hidden: true}, this.bar, this.label);
    this.turns = h('div', {class: 'turns'});
    this.typingText = h('span', {});
    this.typingAvatar = h('span', {});
    this.typing = h('div', {class: 'typing', hidden: true, role: 'status'},
      this.typingAvatar, h('span', {class: 'dots', 'aria-hidden': 'true'}, h('i'), h('i'), h('i')), this.typingText);
    this.meta = h('footer', {class: 'task-meta'});
    this.el = h('section', {class: 'task', dataset: {taskId: task.id}}, // inside the messages' log, itself a live region
      this.progress, this.turns, this.typing, this.meta);
    this.showStatus(task.status);
  }

  /** Follows the task's live event stream (it replays what already happened first) until the task ends. */
  follow() {
    this.live = true;
    this.stop = follow(`/api/tasks/${encodeURIComponent(this.task.id)}/events`, TASK_EVENT_TYPES,
      (type, data) => this.apply(type, data),
      {onError: () => this.refresh()});
    return this;
  }

  /** Shows recorded events, without following anything. */
  replay(events) {
    for (const event of events) this.apply(event.type, event);
    return this;
  }

  close() {
    this.stop?.();
    clearInterval(this.countdown);
  }

  apply(type, event) {
    if (event.seq) {
      if (event.seq <= this.lastSeq) return; // seen already (a reconnect replays from Last-Event-ID)
      this.lastSeq = event.seq;
    }
    const data = event.data ?? {};
    switch (type) {
      case 'status':
        if (data.from === 'waiting_approval') this.settleCards();
        return this.showStatus(data.to);
      case 'started':
        if (this.status === 'queued') this.showStatus('running');
        return this.note(event.role, 'intent', `Intent: ${String(data.intent ?? '').replaceAll('_', ' ')}`);
      case 'plan': return this.showPlan(event.role ?? 'manager', data.steps ?? [], event.message);
      case 'step': return this.showStep(event.role, data);
      case 'model_call': return this.showModelCall(event.role, data);
      case 'tool_call': return this.showToolCall(event.role, data);
      case 'tool_result': return this.showToolResult(data);
      case 'approval_needed': return this.showApproval(event.role, data, event.message);
      case 'question': return this.showQuestion(event.role, data.question ?? event.message);
      case 'answer': return this.showReply(data.text ?? event.message);
      case 'review': return this.showReview(event.role ?? 'supervisor', data, event.message);
      case 'cost': this.cost = data.cost_micros ?? this.cost; return this.showMeta();
      case 'memory':
      case 'budget': return this.note(event.role, type, event.message);
      case 'text': return this.appendText(event.text ?? '');
      case 'done': return this.end('done', event);
      case 'failed':
      case 'cancelled': return this.end(type, event);
      default: return undefined;
    }
  }

  /** The message bubble of whoever speaks now; a new one when the speaker changes. */
  speaker(role) {
    const who = ROLES[role] ? role : 'employee';
    if (this.turn?.role === who) return this.turn;
    const body = h('div', {class: 'turn-body'});
    const el = h('article', {class: `msg agent role-${who}`},
      avatar(who),
      h('div', {class: 'bubble'},
        h('header', {class: 'who'}, h('span', {class: 'name'}, ROLES[who].name),
          h('span', {class: 'blurb'}, ROLES[who].blurb)),
        body));
    this.turns.append(el);
    this.turn = {role: who, el, body};
    this.segment = null;
    return this.turn;
  }

  /** The activity list at the end of the speaker's bubble, for tool calls, model calls and notes. */
  activity(role) {
    const {body} = this.speaker(role);
    const last = body.lastElementChild;
    this.segment = null;
    if (last?.classList.contains('activity')) return last;
    return body.appendChild(h('ul', {class: 'activity'}));
  }

  note(role, kind, text) {
    if (text) this.activity(role).append(h('li', {class: `note ${kind}`}, text));
  }

  showStatus(status) {
    if (!status) return;
    this.status = status;
    const working = WORKING[status];
    this.typing.hidden = !working;
    if (working) {
      fill(this.typingAvatar, avatar(working.role));
      this.typingText.textContent = working.text;
    }
    this.showMeta();
  }

  showPlan(role, steps, message) {
    const {body} = this.speaker(role);
    this.segment = null;
    body.append(h('div', {class: 'plan'},
      h('p', {}, message || `Here is the plan, in ${steps.length} step${steps.length === 1 ? '' : 's'}:`),
      h('ol', {class: 'plan-steps'}, steps.map(step => h('li', {dataset: {step: step.n}},
        h('span', {class: 'goal'}, step.goal),
        h('span', {class: 'step-meta'},
          [step.agent, (step.tools ?? []).join(', '), step.estimate_seconds ? '~' + seconds(step.estimate_seconds) : null]
            .filter(Boolean).join(' · ')))))));
    this.plan = body.lastElementChild;
    if (steps.length) {
      this.steps = steps.length;
      this.showProgress(0, steps.length, null, steps.reduce((sum, s) => sum + (s.estimate_seconds ?? 0), 0));
    }
  }

  showStep(role, {step, of, goal, eta_seconds: eta}) {
    this.showProgress(step, of, goal, eta);
    this.plan?.querySelectorAll('li').forEach(li => {
      const n = Number(li.dataset.step);
      li.classList.toggle('done', n < step);
      li.classList.toggle('current', n === step);
    });
    this.activity(role).append(h('li', {class: 'step'}, `Step ${step} of ${of}: ${goal ?? ''}`));
  }

  showProgress(step, of, goal, eta) {
    this.progress.hidden = false;
    this.bar.max = of;
    this.bar.value = step;
    this.stepText = (step ? `Step ${step} of ${of}` : `${of} step${of === 1 ? '' : 's'} planned`) + (goal ? ` · ${goal}` : '');
    clearInterval(this.countdown);
    this.deadline = eta ? Date.now() + eta * 1000 : null;
    this.tick();
    if (this.deadline) this.countdown = setInterval(() => this.tick(), 1000);
  }

  tick() {
    let left = '';
    if (this.deadline) {
      const remaining = (this.deadline - Date.now()) / 1000;
      left = remaining > 0.5 ? ` · about ${seconds(remaining)} left` : ' · finishing';
    }
    this.label.textContent = this.stepText + left;
  }

  showModelCall(role, call) {
    const tokens = `${number(call.tokens_in)} → ${number(call.tokens_out)} tokens`;
    const parts = [call.model, call.reason, tokens, money(call.cost_micros), millis(call.latency_ms),
      call.cache_hit ? 'cache hit' : null].filter(Boolean);
    this.activity(role).append(h('li', {class: 'model-call'}, h('span', {class: 'label'}, 'Model'), parts.join(' · ')));
  }

  showToolCall(role, {tool, arguments: args}) {
    const state = h('span', {class: 'state'}, 'running…');
    const line = h('li', {class: 'tool running', dataset: {tool}},
      h('span', {class: 'label'}, 'Tool'), h('code', {class: 'tool-name'}, tool),
      h('code', {class: 'args', title: prettyJson(args)}, truncate(prettyJson(args).replace(/\s+/g, ' '), 80)),
      state);
    this.activity(role).append(line);
    this.runningTools.push({tool, line, state, args});
  }

  showToolResult({tool, ok, status, summary, approval_id: approvalId}) {
    const index = this.runningTools.findIndex(t => t.tool === tool);
    const entry = index >= 0 ? this.runningTools.splice(index, 1)[0] : null;
    if (!entry) return;
    const waiting = Boolean(approvalId) && !ok;
    entry.line.classList.remove('running');
    entry.line.classList.add(ok ? 'ok' : waiting ? 'waiting' : 'failed');
    entry.state.textContent = waiting ? 'waiting for approval' : (ok ? '✓ ' : '✗ ') + truncate(summary ?? status ?? '', 160);
  }

  showApproval(role, {approval_id: id, tool, arguments: args, what, cost_micros: cost}, message) {
    const {body} = this.speaker(role);
    this.segment = null;
    const whatId = `approval-${id}-what`;
    const whatText = h('p', {class: 'what', id: whatId}, what || message || `Run ${tool}`);
    const price = h('p', {class: 'price'}, `Tool ${tool} · costs ${money(cost)}`);
    const argsShown = args ?? this.runningTools.find(t => t.tool === tool)?.args;
    const result = h('p', {class: 'decision', role: 'status'});
    const decide = verb => async () => {
      const {approval} = await api.post(`/api/approvals/${encodeURIComponent(id)}/${verb}`);
      settle(approval?.status ?? (verb === 'approve' ? 'approved' : 'rejected'));
      await approvalsChanged();
    };
    const buttons = h('div', {class: 'actions'},
      actionButton('Approve', decide('approve'), {class: 'primary', 'aria-describedby': whatId}),
      actionButton('Reject', decide('reject'), {class: 'danger', 'aria-describedby': whatId}));
    const card = h('div', {class: 'card approval', role: 'group', 'aria-label': 'Approval needed', dataset: {approvalId: id}},
      h('p', {class: 'card-title'}, 'Approval needed'),
      whatText, price,
      argsShown ? h('details', {}, h('summary', {}, 'Arguments'), h('pre', {}, prettyJson(argsShown))) : null,
      buttons, result);
    const settle = status => {
      buttons.remove();
      card.classList.add('decided', status);
      result.textContent = DECISIONS[status] ?? `Decided (${status}).`;
      this.pendingCards.delete(id);
    };
    this.pendingCards.set(id, settle);
    body.append(card);
    if (what === undefined || cost === undefined) this.completeApproval(id, whatText, price);
  }

  /** An event without the plain words or the price: the approvals queue has both. */
  async completeApproval(id, whatText, price) {
    try {
      const {approvals} = await api.get('/api/approvals?status=pending');
      const approval = approvals.find(a => a.id === id);
      if (!approval) return;
      whatText.textContent = approval.what;
      price.textContent = `Tool ${approval.tool} · costs ${money(approval.cost_micros)}`;
    } catch (error) {
      if (error.status !== 403) price.after(errorBox(error));
    }
  }

  /**
   * The task moved on from waiting for approval: decided here, on another page or by the CLI. (A task that does not
   * wait — it goes on without the action — leaves its cards open: they can still be decided.)
   */
  settleCards() {
    for (const settle of [...this.pendingCards.values()]) settle('decided');
  }

  showQuestion(role, question) {
    const {body} = this.speaker(role);
    this.segment = null;
    const input = h('input', {type: 'text', name: 'answer', autocomplete: 'off', required: true,
      'aria-label': 'Your answer'});
    const form = h('form', {class: 'inline-form'}, input, h('button', {type: 'submit', class: 'primary'}, 'Answer'));
    form.addEventListener('submit', async submit => {
      submit.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      form.querySelectorAll('input, button').forEach(x => { x.disabled = true; });
      try {
        await api.post(`/api/tasks/${encodeURIComponent(this.task.id)}/answer`, {answer: text});
        this.showReply(text);
      } catch (error) {
        form.querySelectorAll('input, button').forEach(x => { x.disabled = false; });
        form.after(errorBox(error));
      }
    });
    this.question = h('div', {class: 'card question', role: 'group', 'aria-label': 'Question'},
      h('p', {class: 'card-title'}, 'Question'), h('p', {class: 'what'}, question), form);
    body.append(this.question);
    input.focus();
  }

  showReply(text) {
    if (!this.question || this.question.dataset.answered) return;
    this.question.dataset.answered = 'true';
    this.question.querySelector('form')?.remove();
    this.question.append(h('p', {class: 'reply'}, 'You answered: ', h('q', {}, text)));
  }

  showReview(role, {verdict, feedback, iteration, of}, message) {
    const {body} = this.speaker(role);
    this.segment = null;
    const pass = verdict === 'pass';
    body.append(h('div', {class: `review ${pass ? 'pass' : 'revise'}`},
      h('strong', {}, pass ? '✓ Approved the work' : `↻ Asked for a revision${iteration ? ` (${iteration} of ${of})` : ''}`),
      feedback || message ? h('p', {}, feedback || message) : null));
  }

  /** Streamed text goes into the Employee's current answer, rendered as markdown as it grows. */
  appendText(chunk) {
    if (!this.segment) {
      const {body} = this.turn?.role === 'employee' ? this.turn : this.speaker('employee');
      this.segment = {el: body.appendChild(h('div', {class: 'markdown answer streaming'})), text: ''};
    }
    this.segment.text += chunk;
    if (!this.renderQueued) {
      this.renderQueued = true;
      requestAnimationFrame(() => {
        this.renderQueued = false;
        if (this.segment) renderMarkdown(this.segment.el, this.segment.text);
      });
    }
  }

  async end(type, event) {
    if (this.ended) return;
    this.ended = true;
    this.close();
    let task = this.task;
    if (this.live) {
      try {
        task = (await api.get(`/api/tasks/${encodeURIComponent(task.id)}`)).task;
      } catch (error) {
        this.turns.append(errorBox(error));
      }
    }
    this.finish(task, type, event?.message);
  }

  /** Shows the task's outcome: the answer (replacing what was streamed), or why it failed or stopped. */
  finish(task, type = task.status, message = null) {
    this.task = task;
    this.cost = task.cost_micros ?? this.cost;
    if (this.steps) this.showProgress(this.steps, this.steps, null, null);
    clearInterval(this.countdown);
    if (task.status === 'done' || type === 'done') {
      const target = this.segment?.el ?? this.lastAnswer() ?? this.speaker('employee').body.appendChild(h('div'));
      target.className = 'markdown answer';
      renderMarkdown(target, task.answer ?? '');
      if (!this.rated) this.addAction(this.rated = thumbs(task));
    } else if (task.status === 'failed' || type === 'failed') {
      this.turns.append(errorBox({message: 'The task failed: ' + (task.error || message || 'no reason given'),
        hint: 'Try again, or ask in other words; `steward tasks show ' + task.id + '` has the details.'}));
    } else {
      this.turns.append(h('p', {class: 'cancelled'}, 'Cancelled' + (message || task.error ? ': ' + (message || task.error) : '.')));
    }
    this.segment = null;
    this.showStatus(task.status === 'done' || isTerminal(task.status) ? task.status : type);
    this.onFinished(task);
  }

  lastAnswer() {
    const answers = this.turns.querySelectorAll('.answer');
    return answers[answers.length - 1] ?? null;
  }

  /**
   * The stream broke off (the session ended, the task is gone, or it ended without saying so): show where the task
   * stands now, and stop following it if it is over.
   */
  async refresh() {
    if (this.ended) return;
    try {
      const {task} = await api.get(`/api/tasks/${encodeURIComponent(this.task.id)}`);
      if (isTerminal(task.status)) this.end(task.status, null);
    } catch (error) {
      this.turns.append(errorBox(error));
    }
  }

  /** A button kept in the footer, beside the task's figures. */
  addAction(button) {
    this.actions.push(button);
    this.showMeta();
  }

  showMeta() {
    const task = this.task;
    const active = this.status && !isTerminal(this.status);
    const parts = [
      h('span', {class: `status status-${this.status}`}, (this.status ?? '').replace('_', ' ')),
      task.model ? h('span', {}, task.model) : null,
      task.tokens_in || task.tokens_out ? h('span', {}, `${number(task.tokens_in)} → ${number(task.tokens_out)} tokens`) : null,
      h('span', {class: 'cost', title: 'Cost so far'}, money(this.cost)),
      task.duration_ms ? h('span', {}, millis(task.duration_ms)) : null,
    ];
    fill(this.meta, parts, active ? actionButton('Stop', async () => {
      await api.post(`/api/tasks/${encodeURIComponent(task.id)}/cancel`);
    }, {class: 'link', 'aria-label': 'Stop this task'}) : null, this.actions);
  }
}

/** The user's own message. */
export function userMessage(text) {
  return h('article', {class: 'msg user'}, avatar('user'),
    h('div', {class: 'bubble'}, h('header', {class: 'who'}, h('span', {class: 'name'}, 'You')),
      h('p', {class: 'text'}, text)));
}

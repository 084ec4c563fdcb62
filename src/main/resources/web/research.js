// Research: a question and the pages to read; the report with its numbered citations, each checked against the
// page it cites, and the sources it used.

import {api, follow, TASK_EVENT_TYPES} from './api.js';
import {actionButton, fill, h} from './dom.js';
import {renderMarkdown} from './markdown.js';

export function researchPage(main) {
  const question = h('textarea', {id: 'research-question', rows: 2, required: true,
    placeholder: 'Where is the factory? How many people work there?'});
  const sources = h('textarea', {id: 'research-sources', rows: 3, placeholder: 'https://example.com/about (one per line)'});
  const depth = h('select', {id: 'research-depth'},
    h('option', {value: '1'}, '1: the pages given'), h('option', {value: '2'}, '2: and their links on the same site'));
  const status = h('p', {class: 'sub', role: 'status'});
  const report = h('div', {class: 'research-report'});
  let stop = null;

  const start = async () => {
    stop?.();
    fill(report);
    const urls = sources.value.split(/[\s,]+/).filter(Boolean);
    const task = await api.post('/api/research', {question: question.value, sources: urls, depth: Number(depth.value)});
    status.textContent = 'Researching…';
    stop = follow(`/api/tasks/${encodeURIComponent(task.id)}/events`, TASK_EVENT_TYPES, (type, event) => {
      if (type === 'plan') status.textContent = event.message;
      if (type === 'failed') {
        status.textContent = '';
        fill(report, h('p', {class: 'error', role: 'alert'}, event.message));
      }
      if (type === 'done') {
        const data = event.data;
        status.textContent = `Saved to ${data.path} · ${data.findings.length} finding${data.findings.length === 1 ? '' : 's'}`
          + (data.removed ? ` · ${data.removed} unverifiable claim${data.removed === 1 ? '' : 's'} removed` : '')
          + (data.extractive ? ' · extractive (the sources\' own sentences)' : '');
        const body = h('div', {class: 'markdown'});
        renderMarkdown(body, data.markdown);
        fill(report, body);
      }
    });
  };

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Research')),
    h('p', {class: 'lead'}, 'Steward reads the pages, writes findings with numbered citations and keeps only those '
      + 'whose quote is really on the page they cite. The report is saved in the workspace.'),
    h('form', {class: 'research-form', onsubmit: event => event.preventDefault()},
      h('label', {for: 'research-question'}, 'Question'), question,
      h('label', {for: 'research-sources'}, 'Sources'), sources,
      h('label', {for: 'research-depth'}, 'Depth'), depth,
      actionButton('Research', start, {class: 'primary'})),
    status, report);
  return () => stop?.();
}

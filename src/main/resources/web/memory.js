// The memory page: what Steward remembers — search it, read it, correct it, forget it, export it — and the
// contradictions it is waiting for you to settle.

import {api, query} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, notify, when} from './dom.js';
import {upkeepSection} from './memory-upkeep.js';

const CATEGORIES = ['company', 'team', 'people', 'projects', 'preferences', 'integrations', 'other'];

export function memoryPage(main) {
  const q = h('input', {type: 'search', name: 'q', placeholder: 'Search what Steward remembers', 'aria-label': 'Search memory'});
  const category = h('select', {name: 'category', 'aria-label': 'Category'},
    h('option', {value: ''}, 'All categories'), CATEGORIES.map(c => h('option', {value: c}, c)));
  const search = h('form', {class: 'toolbar', role: 'search'}, q, category,
    h('button', {type: 'submit'}, 'Search'));
  search.addEventListener('submit', event => {
    event.preventDefault();
    loadFacts();
  });
  category.addEventListener('change', () => loadFacts());

  const remember = h('input', {type: 'text', name: 'text', required: true, 'aria-label': 'Something to remember',
    placeholder: 'Remember that… (e.g. our CFO is Sarah Lee)'});
  const add = h('form', {class: 'toolbar add-fact'}, remember, h('button', {type: 'submit', class: 'primary'}, 'Remember'));
  add.addEventListener('submit', async event => {
    event.preventDefault();
    const text = remember.value.trim();
    if (!text) return;
    try {
      const learned = await api.post('/api/memory', {text: /^remember\b/i.test(text) ? text : 'remember that ' + text});
      remember.value = '';
      notify(learned.summary || 'Remembered.');
      await Promise.all([loadFacts(), loadContradictions(), loadEntities()]);
    } catch (error) {
      add.after(errorBox(error));
    }
  });

  const contradictions = h('section', {class: 'contradictions', 'aria-label': 'Contradictions', hidden: true});
  const facts = h('div', {class: 'facts'});
  const entities = h('section', {class: 'entities', 'aria-label': 'Entities', hidden: true});
  let known = new Map();

  async function loadEntities() {
    try {
      const result = await api.get('/api/memory/entities');
      entities.hidden = result.entities.length === 0;
      fill(entities, h('h2', {}, `People and organisations (${result.entities.length})`),
        h('div', {class: 'entity-cards'}, result.entities.map(entityCard)));
    } catch (error) {
      entities.hidden = false;
      fill(entities, errorBox(error));
    }
  }

  async function loadFacts() {
    try {
      const result = await api.get('/api/memory' + query({q: q.value.trim(), category: category.value}));
      known = new Map(result.facts.map(fact => [fact.id, fact]));
      fill(facts, result.facts.length
        ? h('ul', {class: 'fact-list'}, result.facts.map(fact => factItem(fact, loadFacts)))
        : emptyState(q.value || category.value ? 'Nothing matches.' : 'Steward remembers nothing yet. Tell it something above, or in the chat.'));
    } catch (error) {
      fill(facts, errorBox(error));
    }
  }

  async function loadContradictions() {
    try {
      const result = await api.get('/api/memory/contradictions');
      const pending = result.contradictions.filter(c => !c.status || c.status === 'pending');
      contradictions.hidden = pending.length === 0;
      fill(contradictions, h('h2', {}, `Waiting for your answer (${pending.length})`),
        pending.map(c => contradiction(c, known.get(c.fact_id), () => Promise.all([loadFacts(), loadContradictions()]))));
    } catch (error) {
      contradictions.hidden = false;
      fill(contradictions, errorBox(error));
    }
  }

  fill(main,
    h('header', {class: 'page-header'}, h('h1', {}, 'Memory'),
      h('div', {class: 'exports'}, 'Export: ',
        h('a', {href: '/api/memory/export?format=json', download: 'steward-memory.json'}, 'JSON'), ' · ',
        h('a', {href: '/api/memory/export?format=markdown', download: 'steward-memory.md'}, 'Markdown'))),
    add, contradictions, entities, search, facts,
    upkeepSection(() => Promise.all([loadFacts(), loadContradictions(), loadEntities()])));
  loadFacts().then(loadContradictions).then(loadEntities);
}

function factItem(fact, reload) {
  const value = h('span', {class: 'value'}, fact.value);
  const row = h('li', {class: 'fact', dataset: {factId: fact.id}});
  const details = h('details', {class: 'fact-details'}, h('summary', {}, 'Details'),
    h('dl', {},
      detail('Subject', fact.subject), detail('About', fact.attribute), detail('Value', fact.value),
      detail('Category', fact.category), detail('Confidence', fact.confidence != null ? Math.round(fact.confidence * 100) + '%' : null),
      detail('Source', [fact.source, fact.source_ref].filter(Boolean).join(' ')),
      detail('Since', when(fact.valid_from ?? fact.created_at)), detail('Until', fact.valid_to ? when(fact.valid_to) : null),
      detail('Used', fact.access_count != null ? `${fact.access_count} times` : null)));

  const edit = () => {
    const input = h('input', {type: 'text', value: fact.value, 'aria-label': `New value for ${fact.subject} ${fact.attribute}`});
    const save = async () => {
      const text = input.value.trim();
      if (!text || text === fact.value) return reload();
      await api.put(`/api/memory/${encodeURIComponent(fact.id)}`, {value: text});
      notify('Updated.');
      return reload();
    };
    const form = h('form', {class: 'inline-form'}, input, h('button', {type: 'submit', class: 'primary'}, 'Save'),
      h('button', {type: 'button', onclick: reload}, 'Cancel'));
    form.addEventListener('submit', event => {
      event.preventDefault();
      save().catch(error => form.after(errorBox(error)));
    });
    input.addEventListener('keydown', key => { if (key.key === 'Escape') reload(); });
    value.replaceWith(form);
    actions.hidden = true;
    input.focus();
    input.select();
  };

  const confirmDelete = () => {
    const question = h('span', {class: 'confirm', role: 'group', 'aria-label': 'Confirm forgetting'}, 'Forget this? ',
      actionButton('Forget', async () => {
        await api.delete(`/api/memory/${encodeURIComponent(fact.id)}`);
        notify('Forgotten.');
        await reload();
      }, {class: 'danger'}),
      h('button', {type: 'button', onclick: () => { question.replaceWith(actions); actions.querySelector('button').focus(); }}, 'Keep'));
    actions.replaceWith(question);
    question.querySelector('button').focus();
  };

  const actions = h('span', {class: 'row-actions'},
    h('button', {type: 'button', class: 'link', onclick: edit, 'aria-label': `Edit ${fact.subject} ${fact.attribute}`}, 'Edit'),
    h('button', {type: 'button', class: 'link danger', onclick: confirmDelete,
      'aria-label': `Forget ${fact.subject} ${fact.attribute}`}, 'Forget'));

  return fill(row,
    h('div', {class: 'fact-main'},
      h('span', {class: 'subject'}, fact.subject), h('span', {class: 'attribute'}, fact.attribute), value,
      h('span', {class: `category cat-${fact.category}`}, fact.category), actions),
    fact.statement ? h('p', {class: 'statement'}, fact.statement) : null,
    details);
}

// An entity as a card: its type, attributes (email, role…) and how it stands to the others.
function entityCard(card) {
  const entity = card.entity;
  const links = card.relations.map(link => link.outgoing
    ? `${link.relation.replace(/_/g, ' ')}${link.detail ? ' (' + link.detail + ')' : ''} ${link.other}`
    : `${link.other} ${link.relation.replace(/_/g, ' ')}${link.detail ? ' (' + link.detail + ')' : ''} ${entity.name}`);
  return h('article', {class: 'card entity', dataset: {entity: entity.name}, 'aria-label': entity.name},
    h('h3', {}, entity.name, ' ', h('span', {class: 'entity-type'}, entity.type)),
    entity.aliases.length ? h('p', {class: 'aliases'}, 'also ' + entity.aliases.join(', ')) : null,
    card.attributes.length ? h('dl', {}, card.attributes.map(a => detail(a.name, a.value))) : null,
    links.length ? h('ul', {class: 'relations'}, links.map(text => h('li', {}, text))) : null);
}

function detail(term, value) {
  if (value === null || value === undefined || value === '') return null;
  return [h('dt', {}, term), h('dd', {}, value)];
}

function contradiction(c, old, reload) {
  const resolve = keep => async () => {
    await api.post(`/api/memory/contradictions/${encodeURIComponent(c.id)}/resolve`, {keep});
    notify(keep === 'new' ? 'Updated to the new value.' : 'Kept what was remembered.');
    await reload();
  };
  return h('article', {class: 'card contradiction', dataset: {contradictionId: c.id}},
    h('p', {}, c.statement || `You said ${c.subject} ${c.attribute} is ${c.value}` +
      (old ? `, but Steward remembers ${old.value}.` : '.')),
    h('div', {class: 'actions'},
      actionButton(`Keep the new: ${c.value}`, resolve('new'), {class: 'primary'}),
      actionButton(old ? `Keep the old: ${old.value}` : 'Keep the old', resolve('old'))));
}

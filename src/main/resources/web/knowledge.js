// The knowledge page: the user's documents (and their teams'), added by path on the server, refreshed, removed, and
// searched, each passage shown with the citation an answer gives it. A document's text is shown as text, never as
// markup: it is data (docs/security.md).

import {api, query} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, notify, when} from './dom.js';

export function knowledgePage(main) {
  const documents = h('div', {class: 'knowledge-documents'});
  const watched = h('ul', {class: 'knowledge-watched', 'aria-label': 'Watched folders', hidden: true});
  const addErrors = h('div', {class: 'knowledge-add-result'});
  const results = h('section', {class: 'knowledge-results', 'aria-label': 'Passages'});

  const path = h('input', {type: 'text', name: 'path', required: true, 'aria-label': 'Path to add',
    placeholder: 'A file or folder on the server, relative to the workspace (e.g. handbook)'});
  const scope = h('input', {type: 'text', name: 'scope', 'aria-label': 'Scope', value: 'private',
    placeholder: 'private or team:NAME', size: 14});
  const watch = h('input', {type: 'checkbox', name: 'watch', id: 'knowledge-watch'});
  const add = h('form', {class: 'toolbar knowledge-add'}, path, scope,
    h('label', {for: 'knowledge-watch', class: 'check'}, watch, ' Watch the folder'),
    h('button', {type: 'submit', class: 'primary'}, 'Add'));
  add.addEventListener('submit', async event => {
    event.preventDefault();
    fill(addErrors);
    const given = path.value.trim();
    if (!given) return;
    try {
      const changes = await api.post('/api/knowledge', {paths: [given], scope: scope.value.trim() || 'private',
        watch: watch.checked});
      path.value = '';
      notify(summary(changes));
      fill(addErrors, changes.skipped.map(s => errorBox({message: `Skipped ${s.path}`, hint: s.reason})));
      await load();
    } catch (error) {
      fill(addErrors, errorBox(error));
    }
  });

  const q = h('input', {type: 'search', name: 'q', 'aria-label': 'Search documents',
    placeholder: 'Ask your documents (e.g. how many days of leave?)'});
  const search = h('form', {class: 'toolbar', role: 'search'}, q, h('button', {type: 'submit'}, 'Search'));
  search.addEventListener('submit', async event => {
    event.preventDefault();
    const text = q.value.trim();
    if (!text) return;
    try {
      const {passages} = await api.get('/api/knowledge/search' + query({q: text, limit: 5}));
      fill(results, passages.length ? passages.map(passage) : emptyState('Nothing in your documents matches that.'));
    } catch (error) {
      fill(results, errorBox(error));
    }
  });

  async function load() {
    try {
      const listing = await api.get('/api/knowledge');
      fill(documents, listing.documents.length ? table(listing.documents, load)
        : emptyState('No documents yet. Add a file or a folder above, or: steward knowledge add PATH'));
      watched.hidden = listing.watched.length === 0;
      fill(watched, listing.watched.map(w => h('li', {}, 'Watching ', h('code', {}, w.path),
        w.scope === 'private' ? '' : ` (${w.scope})`, ' — followed while steward serve runs ',
        actionButton('Stop watching', async () => {
          const {removed} = await api.delete('/api/knowledge' + query({path: w.path}));
          notify(`No longer watching ${w.path}; removed its ${removed.length} document${removed.length === 1 ? '' : 's'}.`);
          await load();
        }, {'aria-label': `Stop watching ${w.path}`}))));
    } catch (error) {
      fill(documents, errorBox(error));
    }
  }

  const refresh = actionButton('Refresh', async () => {
    notify(summary(await api.post('/api/knowledge/refresh')));
    await load();
  });

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Knowledge'), refresh),
    h('p', {class: 'lead'}, 'Your own documents (.md, .txt, .html, .docx, .xlsx, .pptx, .pdf, .csv), split at their '
      + 'headings. Answers quote them with their source; nothing written in a document makes Steward act.'),
    add, addErrors, search, results, h('h2', {}, 'Documents'), watched, documents);
  load();
}

/** What an add or a refresh did, in one line. */
function summary(changes) {
  const read = changes.added.length + changes.updated.length;
  const parts = [`Indexed ${changes.added.length} new and ${changes.updated.length} changed document${read === 1 ? '' : 's'}`,
    `${changes.unchanged.length} unchanged`];
  if (changes.removed.length) parts.push(`removed ${changes.removed.length} no longer there`);
  if (changes.skipped.length) parts.push(`skipped ${changes.skipped.length}`);
  return parts.join('; ') + '.';
}

function table(documents, reload) {
  return h('div', {class: 'table-wrap'}, h('table', {class: 'knowledge'},
    h('thead', {}, h('tr', {}, ['Title', 'Path', 'Chunks', 'Scope', 'Updated', ''].map(c => h('th', {}, c)))),
    h('tbody', {}, documents.map(d => h('tr', {dataset: {path: d.path}},
      h('td', {}, d.title),
      h('td', {}, h('code', {}, d.path)),
      h('td', {}, String(d.chunks)),
      h('td', {}, d.scope),
      h('td', {}, when(d.indexed_at)),
      h('td', {}, actionButton('Remove', async () => {
        const {removed} = await api.delete('/api/knowledge' + query({path: d.path}));
        notify(`Removed ${removed.length} document${removed.length === 1 ? '' : 's'}.`);
        await reload();
      }, {'aria-label': `Remove ${d.title}`})))))));
}

function passage(p) {
  return h('article', {class: 'card passage'},
    h('header', {class: 'card-head'}, h('strong', {class: 'citation'}, p.citation), h('span', {class: 'sub'}, p.path)),
    h('blockquote', {}, p.text));
}

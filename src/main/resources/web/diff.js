// A unified diff shown as people read one: a section per file with what it adds and removes, each line with its old
// and new line numbers, added lines green, removed lines red. The text is only ever text (no HTML from the diff).

import {h} from './dom.js';

/** Splits a unified diff into files: [{path, created, hunks: [{header, lines: [{kind, text, old, new}]}]}]. */
export function parseDiff(text) {
  const files = [];
  let file = null;
  let hunk = null;
  let oldLine = 0;
  let newLine = 0;
  for (const line of (text ?? '').split('\n')) {
    if (line.startsWith('--- ')) {
      file = {path: null, created: line === '--- /dev/null', hunks: []};
      files.push(file);
      hunk = null;
    } else if (line.startsWith('+++ ') && file && file.path === null) {
      file.path = line.slice(4).replace(/^b\//, '');
    } else if (line.startsWith('@@') && file) {
      const at = line.match(/^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/);
      oldLine = at ? Number(at[1]) : 0;
      newLine = at ? Number(at[2]) : 0;
      hunk = {header: line, lines: []};
      file.hunks.push(hunk);
    } else if (hunk && line.startsWith('+')) {
      hunk.lines.push({kind: 'add', text: line.slice(1), old: null, new: newLine++});
    } else if (hunk && line.startsWith('-')) {
      hunk.lines.push({kind: 'del', text: line.slice(1), old: oldLine++, new: null});
    } else if (hunk && line.startsWith(' ')) {
      hunk.lines.push({kind: 'context', text: line.slice(1), old: oldLine++, new: newLine++});
    }
  }
  return files;
}

/** The diff viewer: one section per file, headed by its path and how many lines it adds and removes. */
export function diffView(text) {
  const files = parseDiff(text);
  if (!files.length) return h('p', {class: 'empty'}, 'No changes.');
  return h('div', {class: 'diff-view'}, files.map(fileView));
}

function fileView(file) {
  const lines = file.hunks.flatMap(hunk => hunk.lines);
  const added = lines.filter(l => l.kind === 'add').length;
  const removed = lines.filter(l => l.kind === 'del').length;
  return h('section', {class: 'diff-file', 'aria-label': file.path, dataset: {path: file.path}},
    h('header', {class: 'diff-file-head'},
      h('strong', {class: 'diff-path'}, file.path),
      file.created ? h('span', {class: 'status'}, 'new file') : null,
      h('span', {class: 'diff-stat'}, h('span', {class: 'added'}, `+${added}`), ' ',
        h('span', {class: 'removed'}, `−${removed}`))),
    h('table', {class: 'diff-lines'},
      h('tbody', {}, file.hunks.flatMap(hunk => [
        h('tr', {class: 'diff-hunk'}, h('td', {colspan: 3}, hunk.header)),
        ...hunk.lines.map(line => h('tr', {class: `diff-line ${line.kind}`},
          h('td', {class: 'num'}, line.old ?? ''),
          h('td', {class: 'num'}, line.new ?? ''),
          h('td', {class: 'code'},
            h('span', {class: 'sign', 'aria-label': line.kind === 'add' ? 'added' : line.kind === 'del' ? 'removed' : null},
              line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ' '),
            line.text))),
      ]))));
}

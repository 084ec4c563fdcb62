// Settings (administrators): how Steward routes between models, the providers and models it knows, the budgets.
// The server shows the configuration in effect with secrets masked; it is changed in steward.yaml.

import {api} from './api.js';
import {emptyState, errorBox, fill, h} from './dom.js';

const MODES = {
  offline: 'the built-in offline model only',
  local: 'models on this machine only',
  cloud: 'hosted models only',
  auto: 'local first, cloud when a request needs it',
  hybrid: 'local and cloud side by side',
};
const PERIODS = ['hourly', 'daily', 'monthly'];

export function settingsPage(main) {
  const body = h('div', {class: 'settings'});
  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Settings')), body);
  api.get('/api/settings')
    .then(settings => fill(body, ...render(settings)))
    .catch(error => fill(body, errorBox(error)));
}

function render(settings) {
  const mode = settings.routing?.mode;
  const budgets = settings.budgets ?? {};
  return [
    h('p', {class: 'lead'}, 'The configuration in effect (steward.yaml with the environment laid over it); secrets are masked. ',
      'Change it in ', h('code', {}, settings.file ?? 'steward.yaml'), ' and restart ', h('code', {}, 'steward serve'), '.'),
    h('section', {class: 'panel'}, h('h2', {}, 'Routing'),
      h('p', {class: 'setting', dataset: {setting: 'routing-mode'}}, h('strong', {}, mode ?? 'auto'), ' — ', MODES[mode] ?? '')),
    h('section', {class: 'panel'}, h('h2', {}, 'Models'), providers(settings.providers ?? [])),
    h('section', {class: 'panel'}, h('h2', {}, 'Budgets'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'budget-limits'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Who'), PERIODS.map(p => h('th', {scope: 'col'}, p)))),
        h('tbody', {},
          limitsRow('Everyone together', budgets.global),
          limitsRow('Each user', budgets.per_user),
          Object.entries(budgets.users ?? {}).map(([user, limits]) => limitsRow(user, limits))))),
      h('p', {class: 'hint'}, `When a budget runs out: ${budgets.on_exceeded ?? 'fallback'}`,
        budgets.alert_at ? ` · a notice at ${Math.round(budgets.alert_at * 100)}% used` : '')),
    h('section', {class: 'panel'}, h('h2', {}, 'Storage'),
      h('dl', {class: 'facts-dl'},
        h('dt', {}, 'Home'), h('dd', {}, h('code', {}, settings.home ?? '')),
        h('dt', {}, 'Database'), h('dd', {}, h('code', {}, settings.database?.url ?? '')),
        h('dt', {}, 'Workspace'), h('dd', {}, h('code', {}, settings.workspace ?? '')))),
  ];
}

function limitsRow(who, limits = {}) {
  return h('tr', {}, h('th', {scope: 'row'}, who),
    PERIODS.map(p => h('td', {class: 'num'}, limits?.[p] != null ? `$${Number(limits[p]).toFixed(2)}` : 'no limit')));
}

function providers(list) {
  if (!list.length) return emptyState('No providers are configured: Steward answers with its built-in offline model.');
  const rows = list.flatMap(p => (p.models?.length ? p.models : [{name: '(found at run time)'}]).map(m => h('tr', {},
    h('td', {}, p.name, h('span', {class: 'sub'}, ` ${p.kind ?? ''}`)),
    h('td', {}, m.name),
    h('td', {}, m.tier ?? ''),
    h('td', {class: 'num'}, m.input_price_per_million != null ? `$${m.input_price_per_million} / $${m.output_price_per_million}` : ''),
    h('td', {}, h('code', {}, p.base_url ?? '')),
    h('td', {}, p.api_key ?? ''))));
  return h('div', {class: 'table-wrap'}, h('table', {},
    h('thead', {}, h('tr', {}, ['Provider', 'Model', 'Tier', 'Price in / out per M tokens', 'URL', 'Key'].map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, rows)));
}

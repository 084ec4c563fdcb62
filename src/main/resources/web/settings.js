// Settings (administrators): how Steward routes between models, the models it knows, and the budgets.

import {api} from './api.js';
import {errorBox, fill, h, money, notify} from './dom.js';

const MODES = {
  offline: 'Offline — the built-in model only',
  local: 'Local — models on this machine only',
  cloud: 'Cloud — hosted models only',
  auto: 'Auto — local first, cloud when the request needs it',
  hybrid: 'Hybrid — local and cloud side by side',
};
const PERIODS = ['hourly', 'daily', 'monthly'];

export function settingsPage(main) {
  const body = h('div', {class: 'settings'});

  async function load() {
    try {
      fill(body, form(await api.get('/api/settings'), load));
    } catch (error) {
      fill(body, errorBox(error));
    }
  }

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Settings')),
    h('p', {class: 'lead'}, 'Changes apply at once and are written to steward.yaml. Secrets are never shown.'), body);
  load();
}

function form(settings, reload) {
  const routing = settings.routing ?? {};
  const budgets = settings.budgets ?? {};
  const mode = h('select', {id: 'routing-mode', name: 'mode'},
    Object.entries(MODES).map(([value, label]) => h('option', {value, selected: value === routing.mode}, label)));
  const limitInputs = {};
  const limits = (scope, values = {}) => h('fieldset', {class: 'limits'}, h('legend', {}, scope === 'global' ? 'Everyone together' : 'Each user'),
    PERIODS.map(period => {
      const id = `budget-${scope}-${period}`;
      const input = h('input', {id, type: 'number', min: '0', step: '0.01', inputmode: 'decimal',
        value: values[period] ?? '', placeholder: 'no limit'});
      limitInputs[id] = input;
      return h('div', {class: 'field'}, h('label', {for: id}, `${period[0].toUpperCase()}${period.slice(1)} ($)`), input);
    }));
  const valueOf = id => (limitInputs[id].value === '' ? null : Number(limitInputs[id].value));
  const problem = h('div');

  const el = h('form', {class: 'settings-form'},
    h('section', {class: 'panel'}, h('h2', {}, 'Routing'),
      h('div', {class: 'field'}, h('label', {for: 'routing-mode'}, 'Mode'), mode)),
    h('section', {class: 'panel'}, h('h2', {}, 'Budgets'),
      h('p', {class: 'hint'}, 'Dollars per period; empty means no limit.'),
      limits('global', budgets.global), limits('per_user', budgets.per_user)),
    h('section', {class: 'panel'}, h('h2', {}, 'Models'), models(settings)),
    problem,
    h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Save settings')));

  el.addEventListener('submit', async event => {
    event.preventDefault();
    problem.replaceChildren();
    const limitsOf = scope => Object.fromEntries(PERIODS.map(p => [p, valueOf(`budget-${scope}-${p}`)]));
    try {
      await api.put('/api/settings', {
        routing: {mode: mode.value},
        budgets: {global: limitsOf('global'), per_user: limitsOf('per_user')},
      });
      notify('Settings saved.');
      await reload();
    } catch (error) {
      fill(problem, errorBox(error));
    }
  });
  return el;
}

function models(settings) {
  const list = settings.models ?? [];
  if (!list.length) return h('p', {class: 'empty'}, 'No models are configured; Steward answers with its offline model.');
  return h('div', {class: 'table-wrap'}, h('table', {},
    h('thead', {}, h('tr', {}, ['Model', 'Provider', 'Where', 'Tier', 'Price in / out (per M tokens)'].map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, list.map(m => h('tr', {},
      h('td', {}, m.name ?? m.model), h('td', {}, m.provider ?? ''), h('td', {}, m.locality ?? ''),
      h('td', {}, m.tier ?? ''),
      h('td', {class: 'num'}, m.input_price != null ? `${money(m.input_price * 1e6)} / ${money(m.output_price * 1e6)}` : ''))))));
}

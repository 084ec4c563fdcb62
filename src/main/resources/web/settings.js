// Settings (administrators): how Steward routes between models, the providers and models it knows, the budgets.
// The server shows the configuration in effect, secrets masked; routing and budgets can be changed here, which
// rewrites those sections of steward.yaml (applied at the next start); providers are changed in the file itself.

import {api} from './api.js';
import {emptyState, errorBox, fill, h, notify} from './dom.js';

const MODES = {
  offline: 'the built-in offline model only',
  local: 'models on this machine only',
  cloud: 'hosted models only',
  auto: 'local first, cloud when a request needs it',
  hybrid: 'local and cloud side by side',
};
const PERIODS = ['hourly', 'daily', 'monthly'];
const SCOPES = [['global', 'Everyone together'], ['per_user', 'Each user']];

export function settingsPage(main) {
  const body = h('div', {class: 'settings'});
  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Settings')), body);
  api.get('/api/settings')
    .then(settings => fill(body, form(settings)))
    .catch(error => fill(body, errorBox(error)));
}

function form(settings) {
  const routing = settings.routing ?? {};
  const budgets = settings.budgets ?? {};
  const mode = h('select', {id: 'routing-mode', name: 'mode'},
    Object.entries(MODES).map(([value, text]) => h('option', {value, selected: value === routing.mode}, `${value} — ${text}`)));
  const onExceeded = h('select', {id: 'on-exceeded'},
    [['fallback', 'fall back to a cheaper or local model'], ['refuse', 'refuse the call']].map(([value, text]) =>
      h('option', {value, selected: value === (budgets.on_exceeded ?? 'fallback')}, text)));
  const alertAt = h('input', {id: 'alert-at', type: 'number', min: '1', max: '100', step: '1',
    value: String(Math.round((budgets.alert_at ?? 0.8) * 100))});
  const limits = {};
  const limitRow = ([scope, label]) => h('tr', {}, h('th', {scope: 'row'}, label), PERIODS.map(period => {
    const input = h('input', {type: 'number', min: '0', step: '0.01', inputmode: 'decimal', placeholder: 'no limit',
      value: budgets[scope]?.[period] != null ? String(budgets[scope][period]) : '',
      'aria-label': `${label}: ${period} limit in dollars`});
    limits[`${scope}.${period}`] = input;
    return h('td', {}, input);
  }));
  const saved = h('div', {role: 'status'});
  const save = h('button', {type: 'submit', class: 'primary'}, 'Save to steward.yaml');

  const el = h('form', {class: 'settings-form'},
    h('p', {class: 'lead'}, 'The configuration in effect (', h('code', {}, settings.file ?? 'steward.yaml'),
      ' with the environment laid over it); secrets are masked. Changes here are written to that file and apply when ',
      h('code', {}, 'steward serve'), ' starts again.'),
    h('section', {class: 'panel'}, h('h2', {}, 'Routing'),
      h('label', {for: 'routing-mode'}, 'Mode'), h('div', {}, mode)),
    h('section', {class: 'panel'}, h('h2', {}, 'Budgets'),
      h('div', {class: 'table-wrap'}, h('table', {class: 'budget-limits'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Dollars per'), PERIODS.map(p => h('th', {scope: 'col'}, p)))),
        h('tbody', {}, SCOPES.map(limitRow)))),
      Object.keys(budgets.users ?? {}).length
        ? h('p', {class: 'hint'}, `Limits of their own (kept as they are): ${Object.keys(budgets.users).join(', ')}`) : null,
      h('div', {class: 'inline-fields'},
        h('label', {for: 'on-exceeded'}, 'When a budget runs out'), onExceeded,
        h('label', {for: 'alert-at'}, 'Notice at (% used)'), alertAt)),
    h('section', {class: 'panel'}, h('h2', {}, 'Models'), providers(settings.providers ?? []),
      h('p', {class: 'hint'}, 'Providers hold keys: they are changed in the file (or the environment), not here.')),
    h('section', {class: 'panel'}, h('h2', {}, 'Storage'),
      h('dl', {class: 'facts-dl'},
        h('dt', {}, 'Home'), h('dd', {}, h('code', {}, settings.home ?? '')),
        h('dt', {}, 'Database'), h('dd', {}, h('code', {}, settings.database?.url ?? '')),
        h('dt', {}, 'Workspace'), h('dd', {}, h('code', {}, settings.workspace ?? '')))),
    h('div', {class: 'actions'}, save), saved);

  el.addEventListener('submit', async event => {
    event.preventDefault();
    const limitsOf = scope => Object.fromEntries(PERIODS.map(period => {
      const value = limits[`${scope}.${period}`].value;
      return [period, value === '' ? null : Number(value)];
    }));
    const change = {
      budgets: {...budgets, on_exceeded: onExceeded.value, alert_at: Number(alertAt.value) / 100,
        global: limitsOf('global'), per_user: limitsOf('per_user')},
    };
    // The server merges what it is sent into the file (JSON Merge Patch), so only the changed mode goes.
    if (mode.value !== routing.mode) change.routing = {mode: mode.value};
    save.disabled = true;
    try {
      const result = await api.put('/api/settings', change);
      fill(saved, h('p', {class: 'saved'}, `Saved to ${result.saved}`,
        result.restart_required ? ': restart steward serve to apply it.' : '.'));
      notify('Settings saved.');
    } catch (error) {
      fill(saved, errorBox(error));
    } finally {
      save.disabled = false;
    }
  });
  return el;
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

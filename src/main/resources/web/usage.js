// Usage and cost: totals, spend per day and per model, the local share, and how much of each budget is used.

import {api, query} from './api.js';
import {emptyState, errorBox, fill, h, money, number, segmented} from './dom.js';

// Chart.js is the largest library by far and only this page needs it: it loads the first time the page opens.
let chartJs = null;

function loadChartJs() {
  chartJs ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = document.querySelector('meta[name="steward-chart-js"]').content;
    script.onload = () => resolve(window.Chart);
    script.onerror = () => {
      chartJs = null;
      reject(new Error('Chart.js did not load; reload the page to try again.'));
    };
    document.head.append(script);
  });
  return chartJs;
}
const RANGES = [[7, '7 days'], [30, '30 days'], [90, '90 days']];
const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];

export function usagePage(main) {
  let days = 30;
  const charts = [];
  const body = h('div', {class: 'usage'});
  const range = segmented('Period', RANGES, days, value => {
    days = value;
    load();
  });

  async function load() {
    charts.splice(0).forEach(chart => chart.destroy());
    try {
      const [stats, Chart] = await Promise.all([api.get('/api/stats' + query({days})), loadChartJs()]);
      fill(body, ...render(stats, charts, Chart));
    } catch (error) {
      fill(body, errorBox(error));
    }
  }

  fill(main, h('header', {class: 'page-header'}, h('h1', {}, 'Usage and cost'), range), body);
  load();
  return () => charts.forEach(chart => chart.destroy());
}

function render({totals = {}, by_day: byDay = [], by_model: byModel = [], budgets = []}, charts, Chart) {
  const localShare = totals.local_share == null ? '–' : percent(totals.local_share);
  const cards = h('div', {class: 'stat-cards'},
    stat('Spent', money(totals.cost_micros), 'total-cost'),
    stat('Model calls', number(totals.calls), 'total-calls'),
    stat('Tokens in / out', `${number(totals.tokens_in)} / ${number(totals.tokens_out)}`, 'total-tokens'),
    stat('Run locally', localShare, 'local-share'));

  const perDay = canvas('Spend per day');
  // Nothing spent (local or offline models only): the share of calls tells more than an empty ring.
  const spent = byModel.some(m => m.cost_micros > 0);
  const modelTitle = spent ? 'Spend per model' : 'Calls per model (nothing spent)';
  const perModel = canvas(modelTitle);
  const locality = canvas('Local and cloud calls');
  const sections = [
    cards,
    h('div', {class: 'chart-grid'},
      panel('Spend per day', perDay.wrap),
      panel(modelTitle, byModel.length ? perModel.wrap : emptyState('No model calls yet.')),
      panel('Local vs cloud', byModel.length ? locality.wrap : emptyState('No model calls yet.'))),
    panel('Budgets', budgets.length ? h('ul', {class: 'budgets'}, budgets.map(gauge))
      : emptyState('No budgets are set (they are set in steward.yaml; see Settings).')),
    panel('By model', modelTable(byModel)),
  ];

  const color = i => css(PALETTE[i % PALETTE.length]);
  // Charts are drawn once their canvases are in the page (after this function's result is).
  requestAnimationFrame(() => {
    if (!perDay.el.isConnected) return;
    charts.push(new Chart(perDay.el, {
      type: 'bar',
      data: {labels: byDay.map(d => d.day), datasets: [{label: 'Spend ($)', data: byDay.map(d => d.cost_micros / 1e6),
        backgroundColor: color(0)}]},
      options: options({scales: {y: {beginAtZero: true, ticks: {callback: v => '$' + v}}}}),
    }));
    if (!byModel.length) return;
    charts.push(new Chart(perModel.el, {
      type: 'doughnut',
      data: {labels: byModel.map(m => m.model), datasets: [{
        data: byModel.map(m => (spent ? m.cost_micros / 1e6 : m.calls)),
        backgroundColor: byModel.map((m, i) => color(i))}]},
      options: options({plugins: {tooltip: {callbacks: {
        label: c => ` ${c.label}: ${spent ? money(c.raw * 1e6) : number(c.raw) + ' calls'}`}}}}),
    }));
    // As the server counts the local share: everything not in the cloud (local and offline models) is local.
    const cloud = byModel.filter(m => m.locality === 'cloud').reduce((sum, m) => sum + m.calls, 0);
    const all = byModel.reduce((sum, m) => sum + m.calls, 0);
    charts.push(new Chart(locality.el, {
      type: 'doughnut',
      data: {labels: ['Local', 'Cloud'], datasets: [{data: [all - cloud, cloud],
        backgroundColor: [css('--local'), css('--cloud')]}]},
      options: options({}),
    }));
  });
  return sections;
}

function options(extra) {
  return {responsive: true, maintainAspectRatio: false, animation: false,
    plugins: {legend: {position: 'bottom', labels: {color: css('--text')}}, ...(extra.plugins ?? {})},
    ...(extra.scales ? {scales: extra.scales} : {})};
}

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function canvas(label) {
  const el = h('canvas', {role: 'img', 'aria-label': label});
  return {el, wrap: h('div', {class: 'chart'}, el)};
}

function panel(title, ...content) {
  return h('section', {class: 'panel'}, h('h2', {}, title), content);
}

function stat(label, value, id) {
  return h('div', {class: 'stat', dataset: {stat: id}}, h('span', {class: 'stat-label'}, label),
    h('span', {class: 'stat-value'}, value));
}

/** One budget as a gauge: a meter that turns amber near the limit and red past it. */
function gauge({scope, period, limit_micros: limit, used_micros: used}) {
  const share = limit > 0 ? used / limit : 0;
  return h('li', {class: 'gauge'},
    h('span', {class: 'gauge-label'}, `${scope} · ${period}`),
    h('meter', {min: 0, max: limit || 1, low: limit * 0.8, high: limit * 0.95, optimum: 0, value: Math.min(used, limit || used),
      'aria-label': `${scope} ${period} budget used`}),
    h('span', {class: 'gauge-value'}, `${money(used)} of ${money(limit)} (${percent(share)})`));
}

function percent(share) {
  return share > 0 && share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;
}

function modelTable(byModel) {
  if (!byModel.length) return emptyState('No model calls yet.');
  return h('div', {class: 'table-wrap'}, h('table', {},
    h('thead', {}, h('tr', {}, ['Model', 'Where', 'Calls', 'Tokens in', 'Tokens out', 'Cost'].map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, byModel.map(m => h('tr', {},
      h('td', {}, m.model, m.provider ? h('span', {class: 'sub'}, ` ${m.provider}`) : null),
      h('td', {}, m.locality ?? ''), h('td', {class: 'num'}, number(m.calls)),
      h('td', {class: 'num'}, number(m.tokens_in)), h('td', {class: 'num'}, number(m.tokens_out)),
      h('td', {class: 'num'}, money(m.cost_micros)))))));
}

// Steward's web UI: who is signed in, the page shell (header, navigation, active tasks) and the pages by URL hash.

import {api, csrfToken, onUnauthenticated} from './api.js';
import {activePanel, startActivity, stopActivity, subscribe} from './activity.js';
import {fill, h, notify, notifyError} from './dom.js';
import {loginPage} from './login.js';
import {chatPage} from './chat.js';
import {approvalsPage} from './approvals.js';
import {memoryPage} from './memory.js';
import {knowledgePage} from './knowledge.js';
import {skillsPage} from './skills.js';
import {auditPage} from './audit.js';
import {usagePage} from './usage.js';
import {settingsPage} from './settings.js';
import {rolloutsPage} from './rollouts.js';
import {improvementsPage} from './improvements.js';
import {automationPage, notificationBell} from './automation.js';
import {codePage} from './code.js';
import {researchPage} from './research.js';

const PAGES = [
  {path: 'chat', title: 'Chat', render: chatPage},
  {path: 'approvals', title: 'Approvals', render: approvalsPage, tools: true},
  {path: 'memory', title: 'Memory', render: memoryPage},
  {path: 'knowledge', title: 'Knowledge', render: knowledgePage},
  {path: 'skills', title: 'Skills', render: skillsPage},
  {path: 'audit', title: 'Audit', render: auditPage},
  {path: 'usage', title: 'Usage', render: usagePage},
  {path: 'rollouts', title: 'Rollouts', render: rolloutsPage},
  {path: 'improvements', title: 'Improvements', render: improvementsPage, admin: true},
  {path: 'automation', title: 'Automation', render: automationPage},
  {path: 'code', title: 'Code', render: codePage, tools: true},
  {path: 'research', title: 'Research', render: researchPage, tools: true},
  {path: 'settings', title: 'Settings', render: settingsPage, admin: true},
];

/** The pages this user may open: settings are for admins, approvals for those whose role may use tools. */
function allowed(page) {
  return (!page.admin || user.role === 'admin') && (!page.tools || user.role !== 'limited');
}

const root = document.getElementById('app');
let user = null;
let shell = null;
let leavePage = null;

async function boot() {
  onUnauthenticated(() => {
    if (user) signOut('Your session has ended: log in again.');
  });
  // Without the CSRF cookie there is no session to ask about: go straight to the login page.
  if (csrfToken()) {
    try {
      const me = await api.get('/api/auth/me');
      user = me.user ?? me;
    } catch (error) {
      if (error.status !== 401) notifyError(error);
    }
  }
  window.addEventListener('hashchange', route);
  if (user) startActivity(user);
  route();
}

function route() {
  leavePage?.();
  leavePage = null;
  if (!user) {
    shell = null;
    document.title = 'Log in · Steward';
    loginPage(root, signedIn);
    return;
  }
  shell ??= buildShell();
  const [name, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = PAGES.find(p => p.path === name && allowed(p)) ?? PAGES[0];
  for (const link of shell.nav.querySelectorAll('a')) {
    if (link.dataset.page === page.path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${page.title} · Steward`;
  shell.main.className = `page page-${page.path}`;
  shell.main.replaceChildren();
  leavePage = page.render(shell.main, {user, params: params.filter(Boolean)}) ?? null;
}

function signedIn(who) {
  user = who;
  startActivity(user);
  if (!location.hash || location.hash === '#/login') location.hash = '#/chat';
  else route();
}

async function signOut(message) {
  user = null;
  stopActivity();
  if (message) notify(message, {kind: 'error', hint: 'Nothing you wrote was lost; it is in the chat history.'});
  route();
}

async function logOut() {
  try {
    await api.post('/api/auth/logout');
  } catch (error) {
    notifyError(error);
  }
  signOut(null);
}

function buildShell() {
  const approvalsBadge = h('span', {class: 'badge', hidden: true, 'aria-label': 'pending approvals'});
  const nav = h('nav', {class: 'tabs', 'aria-label': 'Pages'},
    PAGES.filter(allowed).map(p =>
      h('a', {href: `#/${p.path}`, dataset: {page: p.path}}, p.title, p.path === 'approvals' ? approvalsBadge : null)));
  const main = h('main', {id: 'main', tabindex: '-1'});
  const skip = h('a', {class: 'skip', href: '#main', onclick: click => {
    click.preventDefault();
    main.focus();
  }}, 'Skip to content');
  const header = h('header', {class: 'topbar'},
    h('a', {class: 'brand', href: '#/chat'}, h('span', {class: 'logo', 'aria-hidden': 'true'}, 'S'), 'Steward'),
    nav,
    h('div', {class: 'session'},
      activePanel(),
      notificationBell(),
      h('span', {class: 'who-am-i', title: `signed in as ${user.name} (${user.role})`}, user.name,
        h('span', {class: 'role-tag'}, user.role)),
      h('button', {type: 'button', class: 'link', onclick: logOut}, 'Log out')));
  subscribe(({pendingApprovals}) => {
    approvalsBadge.hidden = pendingApprovals === 0;
    approvalsBadge.textContent = String(pendingApprovals);
  });
  fill(root, skip, header, main);
  return {nav, main};
}

boot();

// The chat page: conversations on the side, the messages of one, each task's live work, and the composer.

import {api, isTerminal} from './api.js';
import {actionButton, emptyState, errorBox, fill, h, notifyError, truncate, when} from './dom.js';
import {TaskView, userMessage} from './task-view.js';

const SUGGESTIONS = [
  'What can you do?',
  'Remember that our CFO is Sarah Lee',
  'What do you remember about our company?',
];

export function chatPage(main, {params}) {
  let conversationId = params[0] ?? null;
  const views = new Set();

  const list = h('ul', {class: 'conversation-list'});
  const sidebar = h('aside', {class: 'sidebar', id: 'conversations', 'aria-label': 'Conversations'},
    h('a', {class: 'button primary new-chat', href: '#/chat'}, '+ New chat'),
    h('h2', {class: 'sidebar-title'}, 'History'), list);
  const toggle = h('button', {type: 'button', class: 'sidebar-toggle', 'aria-controls': 'conversations',
    'aria-expanded': 'false'}, 'History');
  const showHistory = open => {
    sidebar.classList.toggle('open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => showHistory(!sidebar.classList.contains('open')));
  sidebar.addEventListener('keydown', key => {
    if (key.key === 'Escape' && sidebar.classList.contains('open')) {
      showHistory(false);
      toggle.focus();
    }
  });

  const messages = h('div', {class: 'messages', role: 'log', 'aria-label': 'Messages', tabindex: '0'});
  const input = h('textarea', {name: 'message', rows: 1, 'aria-label': 'Message',
    placeholder: 'Message Steward — Enter sends, Shift+Enter starts a new line'});
  const composer = h('form', {class: 'composer'}, input, h('button', {type: 'submit', class: 'primary'}, 'Send'));

  input.addEventListener('keydown', key => {
    if (key.key === 'Enter' && !key.shiftKey && !key.isComposing) {
      key.preventDefault();
      composer.requestSubmit();
    }
  });
  input.addEventListener('input', () => fitToText(input));
  composer.addEventListener('submit', async event => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) await send(text);
  });

  // Keep the newest message in view while the reader is at the bottom; leave them be if they scrolled up to read.
  let following = true;
  messages.addEventListener('scroll', () => {
    following = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;
  });
  const keepInView = new MutationObserver(() => {
    if (following) messages.scrollTop = messages.scrollHeight;
  });
  keepInView.observe(messages, {childList: true, subtree: true, characterData: true});

  async function send(text) {
    input.value = '';
    fitToText(input);
    messages.querySelector('.welcome')?.remove();
    messages.append(userMessage(text));
    following = true;
    try {
      const reply = await api.post('/api/chat', {message: text, conversation_id: conversationId ?? undefined, async: true});
      if (!conversationId) {
        conversationId = reply.conversation_id;
        history.replaceState(null, '', `#/chat/${encodeURIComponent(conversationId)}`);
      }
      showTask(reply.task);
      loadConversations();
    } catch (error) {
      messages.append(errorBox(error));
      input.value = text;
    }
    input.focus();
  }

  function showTask(task) {
    const view = new TaskView(task, {onFinished: () => loadConversations()});
    views.add(view);
    messages.append(view.el);
    if (isTerminal(task.status)) {
      view.finish(task);
      view.addAction(actionButton('Show the work', async () => showWork(view), {class: 'link'}));
    } else {
      view.follow();
    }
  }

  async function showWork(summary) {
    const {task, events} = await api.get(`/api/tasks/${encodeURIComponent(summary.task.id)}`);
    const full = new TaskView(task).replay(events);
    views.delete(summary);
    views.add(full);
    summary.el.replaceWith(full.el);
  }

  async function loadConversations() {
    try {
      const {conversations} = await api.get('/api/conversations');
      fill(list, conversations.length ? conversations.map(c => h('li', {},
        h('a', {href: `#/chat/${encodeURIComponent(c.id)}`, 'aria-current': c.id === conversationId ? 'page' : null},
          h('span', {class: 'title'}, truncate(c.title || 'Untitled', 48)),
          h('span', {class: 'sub'}, when(c.updated_at), c.tasks ? ` · ${c.tasks} message${c.tasks === 1 ? '' : 's'}` : ''))))
        : h('li', {}, emptyState('No conversations yet.')));
    } catch (error) {
      fill(list, h('li', {}, errorBox(error)));
    }
  }

  async function loadConversation() {
    if (!conversationId) {
      fill(messages, welcome(text => send(text)));
      return;
    }
    try {
      const {tasks} = await api.get(`/api/conversations/${encodeURIComponent(conversationId)}`);
      messages.replaceChildren();
      for (const task of tasks) {
        messages.append(userMessage(task.input));
        showTask(task);
      }
    } catch (error) {
      fill(messages, errorBox(error));
    }
  }

  fill(main, h('div', {class: 'chat-layout'}, sidebar,
    h('section', {class: 'chat', 'aria-label': 'Chat'}, toggle, messages, composer)));
  loadConversations();
  loadConversation();
  input.focus();

  return () => {
    keepInView.disconnect();
    views.forEach(view => view.close());
  };
}

function welcome(ask) {
  return h('div', {class: 'welcome'},
    h('h1', {}, 'What can Steward do for you?'),
    h('p', {}, 'Ask a question, tell it something to remember, or give it a job. You will see who is working on it — ',
      h('span', {class: 'role-name role-manager'}, 'Manager'), ' plans, ',
      h('span', {class: 'role-name role-employee'}, 'Employee'), ' does, ',
      h('span', {class: 'role-name role-supervisor'}, 'Supervisor'), ' checks — and approve anything that acts or costs.'),
    h('div', {class: 'suggestions'}, SUGGESTIONS.map(text =>
      h('button', {type: 'button', class: 'chip', onclick: () => ask(text).catch(notifyError)}, text))));
}

/** The composer grows with its text, up to a point. */
function fitToText(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = Math.min(textarea.scrollHeight, 200) + 'px';
}

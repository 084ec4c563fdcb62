// The login page: name and password → POST /api/auth/login, which sets the session and CSRF cookies.

import {api} from './api.js';
import {errorBox, fill, h, notify} from './dom.js';

export function loginPage(root, onSignedIn) {
  const username = h('input', {id: 'username', name: 'username', autocomplete: 'username', required: true});
  const password = h('input', {id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true});
  const problem = h('div', {class: 'problem'});
  const submit = h('button', {type: 'submit', class: 'primary'}, 'Log in');
  const form = h('form', {class: 'login-form', 'aria-labelledby': 'login-title'},
    h('h1', {id: 'login-title'}, h('span', {class: 'logo', 'aria-hidden': 'true'}, 'S'), 'Steward'),
    h('p', {class: 'lead'}, 'Log in to chat with Steward, see what it is doing and decide what it may do.'),
    h('label', {for: 'username'}, 'Name'), username,
    h('label', {for: 'password'}, 'Password'), password,
    problem, submit,
    h('p', {class: 'hint'}, 'No account yet? An administrator creates one with ', h('code', {}, 'steward users add NAME'), '.'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    problem.replaceChildren();
    try {
      const {user, notice} = await api.post('/api/auth/login', {username: username.value.trim(), password: password.value});
      onSignedIn(user);
      if (notice) notify(notice); // failed logins since the last one: the owner should know
    } catch (error) {
      fill(problem, errorBox(error));
      password.select();
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  fill(root, h('main', {id: 'main', class: 'login'}, form));
  username.focus();
}

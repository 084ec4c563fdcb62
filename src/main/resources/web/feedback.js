// Thumbs up or down on a finished answer: what the learning loop learns from (POST /api/tasks/{id}/feedback), and
// what a rollout's feedback gate compares between its two models. A later click replaces the earlier rating.

import {api} from './api.js';
import {actionButton, h, notify} from './dom.js';

const RATINGS = [
  {rating: 'up', label: '👍', name: 'Good answer'},
  {rating: 'down', label: '👎', name: 'Bad answer'},
];

export function thumbs(task) {
  const group = h('span', {class: 'thumbs', role: 'group', 'aria-label': 'Rate this answer'});
  const buttons = RATINGS.map(({rating, label, name}) => actionButton(label, async () => {
    await api.post(`/api/tasks/${encodeURIComponent(task.id)}/feedback`, {rating});
    buttons.forEach(b => b.setAttribute('aria-pressed', String(b.dataset.rating === rating)));
    notify(rating === 'up' ? 'Thanks: noted as a good answer.' : 'Thanks: noted. Steward learns from what went wrong.');
  }, {class: 'link thumb', 'aria-label': name, 'aria-pressed': 'false', title: name, dataset: {rating}}));
  group.append(...buttons);
  return group;
}

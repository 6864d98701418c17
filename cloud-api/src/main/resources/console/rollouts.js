// Over-the-air rollouts (#/rollouts): every rollout of the tenant, newest first, with its state, why it halted, and
// each wave's cars by state; pause, resume and cancel (cancel after a confirmation). The list refreshes every 5 s while
// the page is open. The API decides who may do what (operators and tenant-admins). See docs/console.md, docs/ota.md §8.
import {h, api, confirmDialog, expectOk, outcomeBox, say, when} from './common.js';

const STATE_WORDS = {
  RUNNING: 'Running',
  PAUSED: 'Paused',
  HALTED: 'Halted',
  CANCELLED: 'Cancelled',
  COMPLETED: 'Completed',
};
const WAVE_WORDS = {
  PENDING: 'waiting',
  RUNNING: 'under way',
  PAUSED: 'paused',
  DONE: 'done',
  HALTED: 'halted',
  CANCELLED: 'cancelled',
  SKIPPED: 'skipped',
};
const REFRESH_MS = 5000;

function problem(e) {
  if (e && e.status === 401) return null;
  if (e && e.status === 403) return 'Only operators and tenant-admins manage rollouts.';
  if (e && e.status === 409) return `Not possible now: ${e.message}`;
  return e && e.message ? e.message : String(e);
}

/** "UPDATED 3 · FAILED 1" in a stable order. */
function counts(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return h('span', {class: 'muted'}, 'no cars');
  return entries.map(([state, n]) => `${state} ${n}`).join(' · ');
}

function waves(rollout) {
  return h('ol', {class: 'waves', start: 1}, rollout.waves.map((w) => h('li', {'data-wave': String(w.index)},
    h('strong', {}, `Wave ${w.index + 1}`), ` (${w.percent} %, ${w.cars} ${w.cars === 1 ? 'car' : 'cars'}): `,
    WAVE_WORDS[w.state] || w.state, w.cars ? h('br') : null, w.cars ? h('span', {class: 'muted'}, counts(w.counts)) : null)));
}

async function rolloutsView({show}) {
  const box = outcomeBox('rollout-outcome');
  const rows = h('tbody', {id: 'rollout-rows'});
  const empty = h('p', {id: 'no-rollouts', class: 'muted', hidden: true},
    'No rollouts yet. Upload a release and start one through the API (docs/ota.md).');

  const act = async (rollout, verb, button) => {
    if (verb === 'cancel') {
      const sure = await confirmDialog({title: `Cancel rollout of ${rollout.version}?`, confirm: 'Cancel rollout', danger: true,
        text: ['No car is offered the release any more.', 'Cars that already have the offer finish on their own and still report.']});
      if (!sure) return;
    }
    button.disabled = true;
    try {
      const changed = await expectOk('POST', `${api}/rollouts/${encodeURIComponent(rollout.id)}/${verb}`, {});
      say(box, 'ok', `Rollout of ${changed.version}: ${STATE_WORDS[changed.state] || changed.state}.`);
      await load();
    } catch (e) {
      button.disabled = false;
      const text = problem(e);
      if (text) say(box, 'bad', text);
    }
  };

  const row = (r) => {
    const buttons = [];
    const button = (verb, label, cls) => {
      const b = h('button', {type: 'button', class: cls, id: `${verb}-${r.id}`, 'aria-label': `${label} rollout of ${r.version}`}, label);
      b.addEventListener('click', () => act(r, verb, b));
      buttons.push(b);
    };
    if (r.state === 'RUNNING') button('pause', 'Pause', 'secondary');
    if (r.state === 'PAUSED') button('resume', 'Resume', null);
    if (['RUNNING', 'PAUSED', 'HALTED'].includes(r.state)) button('cancel', 'Cancel', 'danger');
    return h('tr', {'data-rollout': r.id},
      h('td', {'data-label': 'Release'}, h('strong', {}, r.version), h('br'), h('code', {class: 'muted'}, r.id)),
      h('td', {'data-label': 'State'}, h('span', {class: `state state-${r.state.toLowerCase()}`}, STATE_WORDS[r.state] || r.state),
        r.haltReason ? h('p', {class: 'muted halt-reason'}, r.haltReason) : null),
      h('td', {'data-label': 'Started'}, when(r.createdAt)),
      h('td', {'data-label': 'Waves'}, waves(r)),
      h('td', {'data-label': 'All cars'}, counts(r.counts)),
      h('td', {'data-label': 'Actions'}, h('div', {class: 'actions'}, buttons)));
  };

  const load = async () => {
    try {
      const list = await expectOk('GET', `${api}/rollouts`);
      rows.replaceChildren(...list.map(row));
      empty.hidden = list.length > 0;
    } catch (e) {
      const text = problem(e);
      if (text) say(box, 'bad', text);
    }
  };

  show('Rollouts', box,
    h('p', {class: 'muted'}, 'Over-the-air updates of the cars\' agent, in waves. A rollout halts by itself when a wave\'s '
      + 'failures pass its threshold; a car in a rental is deferred until it is free.'),
    h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Rollouts'},
      h('table', {id: 'rollouts', class: 'stack'},
        h('caption', {class: 'visually-hidden'}, 'Rollouts, newest first'),
        h('thead', {}, h('tr', {}, ['Release', 'State', 'Started', 'Waves', 'All cars', 'Actions']
          .map((t) => h('th', {scope: 'col'}, t)))),
        rows)),
    empty);
  await load();
  const timer = setInterval(() => {
    if (!document.querySelector('dialog.confirm')) load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

export const views = [
  {path: '#/rollouts', nav: 'Rollouts', roles: ['operator', 'tenant-admin'], render: rolloutsView},
];

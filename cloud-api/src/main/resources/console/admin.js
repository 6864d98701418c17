// The operator console's administration: alerts (#/alerts), users (#/users, #/users/{id}), the audit trail (#/audit)
// and the tenant's settings (#/settings). Every call is an API call with the session (common.js); the API decides
// what the caller may do, and this module only hides what the caller's roles cannot do. See docs/console.md.
import {h, api, call, confirmDialog, expectOk, outcomeBox, say, when, ago, hasRole, currentSession} from './common.js';

// ---------- shared pieces ----------


/** What went wrong, in words; null for a 401 (the shell shows the sign-in then). */
function problem(e, forbidden) {
  if (e && e.status === 401) return null;
  if (e && e.status === 403) return forbidden || `Not allowed: ${e.message}`;
  if (e && e.status === 404) return `Not found: ${e.message}`;
  if (e && e.status === 409) return `Not possible now: ${e.message}`;
  return e && e.message ? e.message : String(e);
}

function fail(box, e, forbidden) {
  const text = problem(e, forbidden);
  if (text) say(box, 'bad', text);
}

const seconds = new Intl.DateTimeFormat(undefined, {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
  minute: '2-digit', second: '2-digit'});
const exact = (iso) => (iso ? seconds.format(new Date(iso)) : '–');
const time = (iso) => h('time', {datetime: iso, title: iso}, exact(iso));
const me = () => (currentSession() ? currentSession().userId : null);
const who = (userId) => (userId && userId === me() ? 'you' : userId || '–');


/** A table that scrolls sideways on its own when wide (keyboard-reachable) and stacks its cells on a phone. */
function table(id, caption, headings, body) {
  return h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption},
    h('table', {id, class: 'stack'},
      h('caption', {class: 'visually-hidden'}, caption),
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', {scope: 'col'}, t)))),
      body));
}

/** A cell that names its column when the table is stacked (phone). */
const cell = (label, ...children) => h('td', {'data-label': label}, ...children);

// ---------- alerts ----------

const ALERT_WORDS = {
  TAMPER: 'Tampering detected',
  DOOR_OPENED_WHILE_LOCKED: 'Door opened while locked',
  LOW_VOLTAGE: '12 V battery low',
  VOLTAGE_OK: '12 V battery back to normal',
  CAR_OFFLINE: 'Car offline',
  LEFT_HOME_ZONE: 'Left its home zone',
  BOOKING_OVERDUE: 'Rental overdue',
  JOURNAL_DAMAGED: 'Car journal damaged',
  JOURNAL_EVICTED: 'Car journal full: oldest records dropped',
  OFFLINE_KEY_USE: 'Offline key used at the car',
};
const DETAIL_WORDS = {
  distanceM: ['distance from the zone centre', ' m'], radiusM: ['zone radius', ' m'], lastSeen: ['last seen'],
  cause: ['cause'], offlineAfter: ['offline after'], bookingId: ['booking'], end: ['booked end'], signal: ['signal'],
  voltage: ['voltage', ' V'], lat: ['latitude'], lon: ['longitude'], door: ['door'], lock: ['lock'],
};

/** An event's type in words (the alerts page and a car's events share it). */
export function alertInWords(type) {
  if (ALERT_WORDS[type]) return ALERT_WORDS[type];
  const words = String(type).toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function details(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return h('span', {class: 'muted'}, 'none');
  return h('ul', {class: 'details'}, entries.map(([k, v]) => {
    const [label, unit] = DETAIL_WORDS[k] || [k];
    const value = /^\d{4}-\d\d-\d\dT/.test(v) ? exact(v) : `${v}${unit || ''}`;
    return h('li', {}, `${label}: ${value}`);
  }));
}

async function alertsView({show}) {
  const box = outcomeBox('alert-outcome');
  const news = h('p', {class: 'muted', id: 'alert-news', role: 'status', 'aria-live': 'polite'});
  const showAcked = h('input', {type: 'checkbox', id: 'show-acked'});
  const rows = h('tbody', {id: 'alert-rows'});
  const more = h('button', {type: 'button', class: 'secondary', id: 'older-alerts', hidden: true}, 'Older alerts');
  const empty = h('p', {id: 'no-alerts', class: 'muted', hidden: true}, 'No open alerts. New ones appear here as they come in.');
  const shown = new Set();
  let next = null;

  const acknowledge = async (event, row, button) => {
    button.disabled = true;
    try {
      const acked = await expectOk('POST', `${api}/events/${encodeURIComponent(event.id)}/ack`, {});
      const by = acked.acknowledgedBy === me() ? 'by you' : `by ${acked.acknowledgedBy}`;
      say(box, 'ok', `Acknowledged: ${alertInWords(event.type)} on ${event.carId} (${by}, ${exact(acked.acknowledgedAt)}).`);
      if (showAcked.checked) {
        row.replaceWith(alertRow(acked));
      } else {
        row.remove();
        shown.delete(event.id);
        empty.hidden = rows.children.length > 0;
      }
    } catch (e) {
      button.disabled = false;
      fail(box, e, 'Only operators and tenant-admins acknowledge alerts.');
    }
  };

  const alertRow = (event) => {
    const state = event.acknowledgedAt
      ? h('span', {}, `Acknowledged by ${who(event.acknowledgedBy)}, ${exact(event.acknowledgedAt)}`)
      : null;
    const row = h('tr', {'data-event': event.id});
    const button = event.acknowledgedAt ? null : h('button', {type: 'button', class: 'ack',
      'aria-label': `Acknowledge ${alertInWords(event.type)} on ${event.carId}`}, 'Acknowledge');
    if (button) button.addEventListener('click', () => acknowledge(event, row, button));
    row.append(
      cell('Car', h('a', {href: `#/cars/${encodeURIComponent(event.carId)}`}, event.carId)),
      cell('Alert', h('strong', {}, alertInWords(event.type)), h('br'), h('code', {class: 'muted'}, event.type)),
      cell('When', time(event.at), h('br'), h('span', {class: 'muted'}, ago(event.at))),
      cell('Details', details(event.details)),
      h('td', {}, button || state));
    return row;
  };

  const load = async (append) => {
    const query = new URLSearchParams({alert: 'true', limit: '50'});
    if (!showAcked.checked) query.set('acknowledged', 'false');
    if (append && next) query.set('cursor', next);
    try {
      const page = await expectOk('GET', `${api}/events?${query}`);
      if (!append) {
        rows.replaceChildren();
        shown.clear();
      }
      for (const event of page.events) {
        if (!shown.has(event.id)) {
          shown.add(event.id);
          rows.append(alertRow(event));
        }
      }
      next = page.next;
      more.hidden = !next;
      empty.hidden = rows.children.length > 0;
      empty.textContent = showAcked.checked ? 'No alerts yet.' : 'No open alerts. New ones appear here as they come in.';
    } catch (e) {
      fail(box, e, 'Only operators and tenant-admins see alerts.');
    }
  };

  showAcked.addEventListener('change', () => load(false));
  more.addEventListener('click', () => load(true));

  show('Alerts',
    h('p', {class: 'muted'}, 'Open alerts of the fleet, newest first. Acknowledge an alert once someone takes care of it.'),
    h('div', {class: 'toolbar'}, h('label', {class: 'check'}, showAcked, ' Show acknowledged alerts too')),
    box, news,
    table('alerts', 'Alerts', ['Car', 'Alert', 'When', 'Details',
      h('span', {class: 'visually-hidden'}, 'Acknowledgement')], rows),
    empty, more);
  await load(false);

  // live: alerts raised from now on come from the fleet stream (its `event` events)
  const stream = new EventSource(`${api}/fleet/stream`);
  stream.addEventListener('event', (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (!event.alert || shown.has(event.id)) return;
    shown.add(event.id);
    rows.prepend(alertRow({...event, details: event.details || {}}));
    empty.hidden = true;
    news.textContent = `New alert: ${alertInWords(event.type)} on ${event.carId}, ${exact(event.at)}.`;
  });
  return () => stream.close();
}

// ---------- users ----------

const ROLES = [
  ['borrower', 'Borrower', 'books and unlocks cars'],
  ['owner', 'Owner', 'owns cars others borrow'],
  ['installer', 'Installer', 'fits devices to cars'],
  ['operator', 'Operator', 'runs the fleet: cars, bookings, alerts, accounts'],
  ['tenant-admin', 'Tenant admin', 'everything, including roles, keys, audit and settings'],
];
const STATES = {ACTIVE: 'Active', LOCKED: 'Locked for a few minutes (failed sign-ins)', LOCKED_PERMANENTLY: 'Locked',
  TERMINATED: 'Terminated'};
const roleName = (r) => (ROLES.find(([id]) => id === r) || [r, r])[1];
const stateBadge = (s) => h('span', {class: `state state-${String(s || '').toLowerCase()}`}, STATES[s] || s || '–');

let lastUserFilter = new URLSearchParams();

async function usersView({show}) {
  const params = lastUserFilter;
  const box = outcomeBox('users-outcome');
  const q = h('input', {type: 'search', id: 'user-q', name: 'q', value: params.get('q') || '', autocomplete: 'off'});
  const role = h('select', {id: 'user-role', name: 'role'}, h('option', {value: ''}, 'Any role'),
    ROLES.map(([id, name]) => h('option', {value: id, selected: params.get('role') === id}, name)));
  const state = h('select', {id: 'user-state', name: 'state'}, h('option', {value: ''}, 'Any state'),
    Object.entries(STATES).map(([id, name]) => h('option', {value: id, selected: params.get('state') === id}, name)));
  const rows = h('tbody', {id: 'user-rows'});
  const count = h('p', {class: 'muted', id: 'user-count', role: 'status'});
  const prev = h('button', {type: 'button', class: 'secondary', id: 'users-prev'}, 'Previous');
  const nextButton = h('button', {type: 'button', class: 'secondary', id: 'users-next'}, 'Next');
  let page = Number(params.get('page') || 0);

  const load = async () => {
    const query = new URLSearchParams({page: String(page), size: '50'});
    if (q.value.trim()) query.set('q', q.value.trim());
    if (role.value) query.set('role', role.value);
    if (state.value) query.set('state', state.value);
    // the filter survives a visit to an account's page, in memory only (a search term may be an e-mail address)
    lastUserFilter = query;
    try {
      const result = await expectOk('GET', `${api}/users?${query}`);
      rows.replaceChildren(...result.items.map((u) => h('tr', {'data-user': u.id},
        cell('Name', h('a', {href: `#/users/${encodeURIComponent(u.id)}`}, u.displayName), u.id === me() ? ' (you)' : ''),
        cell('Roles', u.roles.map(roleName).join(', ')),
        cell('State', stateBadge(u.status)),
        cell('Id', h('code', {}, u.id)))));
      const first = result.total ? result.page * result.size + 1 : 0;
      count.textContent = result.total
        ? `${first}–${first + result.items.length - 1} of ${result.total} accounts`
        : 'No account matches.';
      prev.disabled = result.page === 0;
      nextButton.disabled = first + result.items.length - 1 >= result.total;
    } catch (e) {
      fail(box, e, 'Only operators and tenant-admins see the accounts.');
    }
  };
  const search = (e) => {
    e.preventDefault();
    page = 0;
    load();
  };
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    load();
  });
  nextButton.addEventListener('click', () => {
    page += 1;
    load();
  });

  show('Users',
    h('p', {class: 'muted'}, 'The accounts of this tenant. The list shows display names only; open an account for what ' +
      'the policy lets an operator see of it, and to lock, unlock, terminate it or change its roles.'),
    h('form', {class: 'toolbar', id: 'user-filter', onsubmit: search, role: 'search'},
      h('span', {class: 'field'}, h('label', {for: 'user-q'}, 'Search'), q,
        h('span', {class: 'hint muted'}, 'name, id, or the whole e-mail address')),
      h('span', {class: 'field'}, h('label', {for: 'user-role'}, 'Role'), role),
      h('span', {class: 'field'}, h('label', {for: 'user-state'}, 'State'), state),
      h('button', {type: 'submit'}, 'Search')),
    box, count,
    table('users', 'Accounts', ['Name', 'Roles', 'State', 'Id'], rows),
    h('div', {class: 'toolbar pager'}, prev, nextButton));
  await load();
}

async function userView({show}, id) {
  const box = outcomeBox('user-outcome');
  const isAdmin = hasRole('tenant-admin');
  const path = `${api}/users/${encodeURIComponent(id)}`;

  const act = async (label, method, url, body, okText, reload = true) => {
    try {
      await expectOk(method, url, body);
      if (reload) await draw();
      say(box, 'ok', okText);
    } catch (e) {
      fail(box, e, `${label} is not allowed for you: ${e.message}`);
    }
  };

  const draw = async () => {
    let user;
    try {
      user = await expectOk('GET', path);
    } catch (e) {
      if (e.status === 401) return;
      show('Account', h('p', {class: 'outcome bad', role: 'alert'}, problem(e)), h('a', {href: '#/users'}, 'All accounts'));
      return;
    }
    const self = user.id === me();
    const terminated = user.status === 'TERMINATED';
    const targetIsAdmin = user.roles.includes('tenant-admin');
    const mayLock = !self && !terminated && (!targetIsAdmin || isAdmin);
    const name = user.displayName;
    const actions = [];
    if (mayLock && user.status !== 'LOCKED_PERMANENTLY') {
      actions.push(h('button', {type: 'button', id: 'lock', class: 'danger', onclick: async () => {
        if (await confirmDialog({title: `Lock ${name}?`, confirm: 'Lock the account', danger: true, text: [
          `${name} can no longer sign in until someone unlocks the account.`,
          'Their sessions end now, on every device, and their open bookings are cancelled.']})) {
          await act('Locking', 'POST', `${path}/lock`, {}, `Locked: ${name} cannot sign in; their sessions ended and their open bookings were cancelled.`);
        }
      }}, 'Lock'));
    }
    if (mayLock && (user.status === 'LOCKED_PERMANENTLY' || user.status === 'LOCKED')) {
      actions.push(h('button', {type: 'button', id: 'unlock', onclick: async () => {
        if (await confirmDialog({title: `Unlock ${name}?`, confirm: 'Unlock the account', text: [
          `${name} can sign in again. Failed sign-ins and password-reset answers are forgotten.`,
          'Cancelled bookings stay cancelled.']})) {
          await act('Unlocking', 'POST', `${path}/unlock`, {}, `Unlocked: ${name} can sign in again.`);
        }
      }}, 'Unlock'));
    }
    if (isAdmin && !terminated) {
      actions.push(h('button', {type: 'button', id: 'terminate', class: 'danger', onclick: async () => {
        if (await confirmDialog({title: `Terminate ${name}'s account?`, confirm: 'Terminate for good', danger: true, text: [
          'Only on the holder\'s request. This cannot be undone.',
          'The account is disabled for good and its personal data erased; its id and its history stay.']})) {
          await act('Terminating', 'DELETE', path, undefined, `Terminated: the account of ${name} is disabled and its personal data erased.`);
        }
      }}, 'Terminate'));
    }

    let rolesForm = null;
    if (isAdmin && !terminated) {
      const boxes = ROLES.map(([role, label, what]) => h('div', {class: 'check'},
        h('input', {type: 'checkbox', id: `role-${role}`, name: 'roles', value: role, checked: user.roles.includes(role)}),
        ' ', h('label', {for: `role-${role}`}, label), ' ', h('span', {class: 'muted'}, `– ${what}`)));
      rolesForm = h('form', {id: 'roles-form', onsubmit: async (e) => {
        e.preventDefault();
        const roles = [...rolesForm.querySelectorAll('input[name=roles]:checked')].map((c) => c.value);
        if (!roles.length) {
          say(box, 'bad', 'An account needs at least one role.');
          return;
        }
        const removed = user.roles.filter((r) => !roles.includes(r));
        const added = roles.filter((r) => !user.roles.includes(r));
        if (!removed.length && !added.length) {
          say(box, 'info', 'The roles are as they were: nothing to save.');
          return;
        }
        const text = [
          added.length ? `Grant: ${added.map(roleName).join(', ')}.` : null,
          removed.length ? `Take away: ${removed.map(roleName).join(', ')}. ${self ? 'Your' : 'Their'} sessions end now, ` +
            `so the change applies at once${self ? ': you will have to sign in again' : ''}.` : null].filter(Boolean);
        if (await confirmDialog({title: `Change the roles of ${name}?`, confirm: 'Change the roles', text})) {
          await act('Changing roles', 'PUT', `${path}/roles`, {roles},
            `Roles changed: ${name} is now ${roles.map(roleName).join(', ')}.`, !(self && removed.length));
        }
      }}, h('fieldset', {}, h('legend', {}, 'Roles'), boxes), h('button', {type: 'submit', id: 'save-roles'}, 'Save roles'));
    }

    show(`Account: ${name}`,
      h('p', {}, h('a', {href: '#/users'}, '← All accounts')),
      box,
      h('div', {class: 'card'},
        h('dl', {class: 'facts', id: 'user-facts'},
          h('dt', {}, 'Name'), h('dd', {}, user.name || user.displayName),
          user.email ? [h('dt', {}, 'E-mail'), h('dd', {}, user.email)] : null,
          h('dt', {}, 'Roles'), h('dd', {id: 'user-roles'}, user.roles.map(roleName).join(', ')),
          h('dt', {}, 'State'), h('dd', {id: 'user-state'}, stateBadge(user.status)),
          h('dt', {}, 'Id'), h('dd', {}, h('code', {}, user.id), self ? ' (you)' : '')),
        h('p', {class: 'muted small'}, 'Shown: what the policy lets an operator see. Phone, driving licence and date of ' +
          'birth stay with the account holder.')),
      actions.length ? h('div', {class: 'card'}, h('h2', {}, 'Actions'), h('div', {class: 'actions'}, actions)) : null,
      rolesForm ? h('div', {class: 'card'}, rolesForm) : null);
  };
  await draw();
}

// ---------- audit trail ----------

const AUDIT_PAGE = 50;

/** The page of a role the caller lacks (reached by its address): said plainly, without asking the API for a 403. */
function notForYou(show, title, text) {
  show(title, h('p', {class: 'outcome info', id: 'not-allowed'}, text));
}

async function auditView({show}) {
  if (!hasRole('tenant-admin')) return notForYou(show, 'Audit trail', 'Only tenant-admins may read the audit trail.');
  const box = outcomeBox('audit-outcome');
  const verdict = h('div', {id: 'verify-result', class: 'outcome', role: 'status', 'aria-live': 'polite'});
  const from = h('input', {type: 'datetime-local', id: 'audit-from', step: 1});
  const to = h('input', {type: 'datetime-local', id: 'audit-to', step: 1});
  const action = h('input', {type: 'text', id: 'audit-action', list: 'audit-actions', autocomplete: 'off'});
  const actor = h('input', {type: 'text', id: 'audit-actor', autocomplete: 'off'});
  const rows = h('tbody', {id: 'audit-rows'});
  const older = h('button', {type: 'button', class: 'secondary', id: 'older-records', hidden: true}, 'Older records');
  const count = h('p', {class: 'muted', id: 'audit-count', role: 'status'});
  let oldest = null;

  const verify = async () => {
    try {
      const v = await expectOk('GET', `${api}/audit/verify`);
      if (v.status === 'OK') {
        say(verdict, 'ok', v.records
          ? `Chain intact up to record #${v.records - 1}: all ${v.records} records link up and none was changed.`
          : 'The trail is empty: nothing to verify yet.');
      } else {
        say(verdict, 'bad', `Chain broken at record #${v.firstBrokenIndex} (${v.reason}). Records before it are intact; ` +
          `from it on (${v.records} records in all) the trail cannot be trusted.`);
      }
    } catch (e) {
      fail(verdict, e, 'Only tenant-admins may verify the audit trail.');
    }
  };

  const load = async (more) => {
    const query = new URLSearchParams({limit: String(AUDIT_PAGE)});
    if (from.value) query.set('from', new Date(from.value).toISOString());
    if (to.value) query.set('to', new Date(to.value).toISOString());
    if (action.value.trim()) query.set('action', action.value.trim());
    if (actor.value.trim()) query.set('actor', actor.value.trim() === 'you' ? me() : actor.value.trim());
    if (more && oldest !== null) query.set('cursor', String(oldest));
    try {
      const records = await expectOk('GET', `${api}/audit?${query}`);
      if (!more) rows.replaceChildren();
      // the API answers oldest first; shown newest first
      for (const r of records.slice().reverse()) {
        rows.append(h('tr', {'data-index': r.index},
          cell('Record', `#${r.index}`),
          cell('Time', time(r.time)),
          cell('Actor', who(r.actor)),
          cell('Action', h('code', {}, r.action)),
          cell('Subject', r.subject),
          cell('Outcome', h('span', {class: `outcome-code ${/REFUSED|FAILED|TIMED_OUT|REJECTED/.test(r.outcome) ? 'bad-code' : ''}`}, r.outcome)),
          cell('Hash', h('code', {class: 'hash', title: `hash ${r.hash}, previous ${r.prev}`}, r.hash.slice(0, 12)))));
      }
      if (records.length) oldest = records[0].index;
      older.hidden = records.length < AUDIT_PAGE || oldest === 0;
      count.textContent = rows.children.length ? `${rows.children.length} records shown, newest first.`
        : 'No record matches.';
      if (more && !records.length) say(box, 'info', 'No older records match.');
    } catch (e) {
      fail(box, e, 'Only tenant-admins may read the audit trail.');
    }
  };
  const filter = (e) => {
    e.preventDefault();
    oldest = null;
    load(false);
  };
  older.addEventListener('click', () => load(true));
  const actions = ['booking', 'car', 'data-access', 'device', 'event.ack', 'keys.rotate', 'tenant.policy.change', 'user',
    'user.lock', 'user.unlock', 'user.roles.change', 'user.terminate', 'user.sign-in', 'user.session.start', 'user.sign-out'];

  show('Audit trail',
    h('p', {class: 'muted'}, 'Every business-critical action, as recorded in the tenant\'s hash-chained trail. ' +
      'Each record carries the hash of the one before it: verify recomputes the whole chain.'),
    h('div', {class: 'toolbar'}, h('button', {type: 'button', id: 'verify', onclick: verify}, 'Verify the chain')),
    verdict,
    h('form', {class: 'toolbar', id: 'audit-filter', onsubmit: filter},
      h('span', {class: 'field'}, h('label', {for: 'audit-from'}, 'From'), from),
      h('span', {class: 'field'}, h('label', {for: 'audit-to'}, 'Until'), to),
      h('span', {class: 'field'}, h('label', {for: 'audit-action'}, 'Action'), action,
        h('datalist', {id: 'audit-actions'}, actions.map((a) => h('option', {value: a})))),
      h('span', {class: 'field'}, h('label', {for: 'audit-actor'}, 'Actor (user id)'), actor),
      h('button', {type: 'submit'}, 'Show')),
    box, count,
    table('audit', 'Audit records, newest first', ['Record', 'Time', 'Actor', 'Action', 'Subject', 'Outcome', 'Hash'], rows),
    older);
  await load(false);
}

// ---------- tenant settings ----------

async function settingsView({show}) {
  if (!hasRole('tenant-admin')) return notForYou(show, 'Tenant settings', 'Only tenant-admins change the tenant\'s settings.');
  const policyBox = outcomeBox('policy-outcome');
  const keyBox = outcomeBox('key-outcome');
  const accessBox = outcomeBox('access-outcome');
  const idle = h('input', {type: 'checkbox', id: 'immobilise-when-idle'});
  const changed = h('p', {class: 'muted', id: 'policy-changed'});
  const link = h('div', {id: 'access-link'});

  const drawPolicy = (policy) => {
    idle.checked = !!policy.immobiliseWhenIdle;
    changed.textContent = policy.changedAt ? `Last changed ${exact(policy.changedAt)} by ${who(policy.changedBy)}.` : 'Never changed: the defaults apply.';
  };
  try {
    drawPolicy(await expectOk('GET', `${api}/policy`));
  } catch (e) {
    fail(policyBox, e, 'Only operators and tenant-admins see the policy.');
  }

  const savePolicy = async (e) => {
    e.preventDefault();
    try {
      const policy = await expectOk('PUT', `${api}/policy`, {immobiliseWhenIdle: idle.checked});
      drawPolicy(policy);
      say(policyBox, 'ok', policy.immobiliseWhenIdle
        ? 'Saved: cars are immobilised whenever no rental of theirs is active (never while moving).'
        : 'Saved: cars are no longer immobilised between rentals.');
    } catch (err) {
      fail(policyBox, err, 'Only tenant-admins change the policy.');
    }
  };

  const KEYS = {
    command: {label: 'Rotate the command key', title: 'Rotate the command key?', text: [
      'Cars accept only commands signed with a key they know. Every car knows two: the key that signs now and the next one, ' +
      'published ahead of time.',
      'Rotating makes the next key sign from now on and publishes a new next key. Cars that know both keep accepting ' +
      'commands without a pause; a car that missed the last rotation too (offline, not updated) refuses commands until it ' +
      'fetches the keys again.',
      'Nobody is signed out. This cannot be undone.']},
    token: {label: 'Rotate the token-signing key', title: 'Rotate the token-signing key?', text: [
      'A new key signs access tokens from now on. Tokens already issued keep working until they expire; nobody is signed out.',
      'Cars are not affected: they do not use this key. This cannot be undone.']},
  };
  const rotate = async (key) => {
    if (!(await confirmDialog({title: KEYS[key].title, text: KEYS[key].text, confirm: KEYS[key].label, danger: true}))) return;
    try {
      const r = await expectOk('POST', `${api}/keys/rotate`, {key});
      say(keyBox, 'ok', key === 'command'
        ? `Rotated: commands are now signed with key ${r.kid}; the cars already knew it.`
        : `Rotated: access tokens are now signed with key ${r.kid}.`);
    } catch (e) {
      fail(keyBox, e, 'Only tenant-admins rotate keys.');
    }
  };

  const days = h('select', {id: 'access-days'}, [1, 2, 3, 5, 7].map((d) => h('option', {value: d}, d === 1 ? '1 day' : `${d} days`)));
  const grant = async (e) => {
    e.preventDefault();
    link.replaceChildren();
    try {
      const g = await expectOk('POST', `${api}/data-access`, {days: Number(days.value)});
      const url = h('input', {type: 'text', readonly: true, id: 'access-url', value: g.url, class: 'wide'});
      const copy = h('button', {type: 'button', id: 'copy-link', class: 'secondary'}, 'Copy');
      const copied = h('span', {role: 'status', 'aria-live': 'polite', id: 'copy-status', class: 'muted'});
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(g.url);
          copied.textContent = 'Copied.';
        } catch (err) {
          url.select();
          copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
        }
      });
      link.replaceChildren(
        h('label', {for: 'access-url'}, 'Read-only link'),
        h('div', {class: 'copy-row'}, url, copy, copied),
        h('p', {id: 'access-expiry'}, `Valid until ${exact(g.expiresAt)} (${g.kind === 'azure-sas' ? 'Azure storage' : 'export'} link, ` +
          `${g.permissions.join(' and ')} only).`),
        h('p', {class: 'muted'}, 'Shown once: copy it now and hand it over safely. Whoever holds it can read all of the ' +
          'tenant\'s data until it expires, and nothing can be changed with it.'));
      say(accessBox, 'ok', 'Link created.');
      url.focus();
    } catch (err) {
      fail(accessBox, err, 'Only tenant-admins create data-access links.');
    }
  };

  show('Tenant settings',
    h('section', {class: 'card', 'aria-labelledby': 'policy-h'},
      h('h2', {id: 'policy-h'}, 'Rental policy'),
      h('form', {id: 'policy-form', onsubmit: savePolicy},
        h('div', {class: 'check'}, idle, ' ', h('label', {for: 'immobilise-when-idle'}, 'Immobilise cars while no rental is active')),
        h('p', {class: 'muted'}, 'The car is mobilised when a rental starts and immobilised when it ends; a moving car is never immobilised.'),
        changed,
        h('button', {type: 'submit', id: 'save-policy'}, 'Save policy')),
      policyBox),
    h('section', {class: 'card', 'aria-labelledby': 'keys-h'},
      h('h2', {id: 'keys-h'}, 'Keys'),
      h('p', {class: 'muted'}, 'Rotate a key when it may have leaked, or on a schedule.'),
      h('div', {class: 'actions'},
        h('button', {type: 'button', id: 'rotate-command', onclick: () => rotate('command')}, KEYS.command.label),
        h('button', {type: 'button', id: 'rotate-token', class: 'secondary', onclick: () => rotate('token')}, KEYS.token.label)),
      keyBox),
    h('section', {class: 'card', 'aria-labelledby': 'access-h'},
      h('h2', {id: 'access-h'}, 'Read-only data access'),
      h('p', {class: 'muted'}, 'A link for auditors or reporting tools: it reads the tenant\'s data, never changes it, and expires.'),
      h('form', {id: 'access-form', class: 'toolbar', onsubmit: grant},
        h('span', {class: 'field'}, h('label', {for: 'access-days'}, 'Valid for'), days),
        h('button', {type: 'submit', id: 'create-link'}, 'Create link')),
      accessBox, link));
}

export const views = [
  {path: '#/alerts', nav: 'Alerts', roles: ['operator', 'tenant-admin'], render: alertsView},
  {path: '#/users', nav: 'Users', roles: ['operator', 'tenant-admin'], render: usersView},
  {path: '#/users/', pattern: /^#\/users\/([^/]+)$/, roles: ['operator', 'tenant-admin'], render: userView},
  {path: '#/audit', nav: 'Audit', roles: ['tenant-admin'], render: auditView},
  {path: '#/settings', nav: 'Settings', roles: ['tenant-admin'], render: settingsView},
];

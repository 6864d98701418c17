// Latchkey borrower app: one ES module, no library, no inline script or style (the page's CSP allows neither).
// Every call goes to this origin's API with the session cookie (HttpOnly: this script never sees it) and, on
// state-changing calls, the session's X-CSRF-Token. No token is ever stored; the only thing kept on the device is
// the current-booking snapshot (Cache Storage "lk-app-booking"), for opening the app offline. See docs/app.md.

import {ApiError, api, baseMap, call, currentSession, duration, expectOk, h, loadConfig, loadSession, outcomeBox, say, sendCommand, signOut as endSession,
  when, whenSessionEnds} from './common.js';
import {forget as forgetKeys, keyCard} from './key.js';

const SNAPSHOT_CACHE = 'lk-app-booking';
const SNAPSHOT_KEY = `${api}/app/current-booking.json`;

let carNames = new Map();
let lastReceipt = null;
let tiles = null; // {url, attribution} from config.json, or null: maps on a plain background
let live = null; // the car page's live stream (EventSource), closed whenever the screen changes
let phoneKey = null; // the car page's phone key card: its QR code is redrawn until the screen changes

const main = () => document.getElementById('main');

function show(title, ...content) {
  const m = main();
  m.replaceChildren(h("h1", {}, title), ...content.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  document.title = `${title} – Latchkey`;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === location.hash.split('/').slice(0, 2).join('/')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  m.focus();
}

// ---------- numbers ----------
function distance(m) {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km away` : `${m} m away`;
}
function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function loadCarNames() {
  const cars = await expectOk('GET', `${api}/cars`);
  carNames = new Map(cars.map((c) => [c.id, c]));
}
const carLabel = (id) => {
  const c = carNames.get(id);
  return c ? `${c.name} (${c.plate})` : id;
};

// ---------- the current-booking snapshot (the one piece of API data kept offline) ----------
async function saveSnapshot(booking) {
  if (!('caches' in self)) return;
  const cache = await caches.open(SNAPSHOT_CACHE);
  if (!booking) {
    await cache.delete(SNAPSHOT_KEY);
    return;
  }
  const car = carNames.get(booking.carId) || {id: booking.carId};
  const snapshot = {booking, car: {id: car.id, name: car.name, plate: car.plate}, savedAt: new Date().toISOString()};
  await cache.put(SNAPSHOT_KEY, new Response(JSON.stringify(snapshot), {headers: {'Content-Type': 'application/json'}}));
}

async function readSnapshot() {
  if (!('caches' in self)) return null;
  const hit = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_KEY);
  return hit ? hit.json() : null;
}

function current(bookings) {
  const now = Date.now();
  return bookings.find((b) => b.state === 'ACTIVE')
    || bookings.find((b) => b.state === 'CONFIRMED' && Date.parse(b.start) <= now && now < Date.parse(b.end));
}

// ---------- screens ----------
function signedOut(message) {
  document.getElementById('nav').hidden = true;
  show('Welcome to Latchkey',
    message ? h('p', {class: 'outcome info', role: 'status'}, message) : null,
    h('div', {class: 'card'},
      h('p', {}, 'Find a car near you, book it, and open it with your phone.'),
      h('a', {class: 'button wide', href: `${api}/session/sign-in?client=latchkey-app`, id: 'sign-in'}, 'Sign in'),
      h('p', {}, 'New here? ', h('a', {href: '#/register', id: 'register-link'}, 'Create an account')),
      h('p', {}, h('a', {href: `${api}/reset-password`}, 'Forgot your password?'))));
}

function registerScreen() {
  const box = outcomeBox();
  const form = h('form', {novalidate: false},
    h('label', {for: 'reg-name'}, 'Name'), h('input', {id: 'reg-name', name: 'name', autocomplete: 'name', required: true}),
    h('label', {for: 'reg-email'}, 'E-mail'), h('input', {id: 'reg-email', name: 'email', type: 'email', autocomplete: 'email', required: true}),
    h('label', {for: 'reg-password'}, 'Password'),
    h('input', {id: 'reg-password', name: 'password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true,
      'aria-describedby': 'reg-password-hint'}),
    h('p', {id: 'reg-password-hint', class: 'muted'}, 'At least 12 characters. A few unusual words make a good one.'),
    h('button', {type: 'submit', class: 'wide'}, 'Create account'), box);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const r = await call('POST', `${api}/users`, {name: data.name, email: data.email, password: data.password});
    if (r.status === 201) {
      form.replaceChildren(h('p', {class: 'outcome ok', role: 'status'}, 'Your account is ready.'),
        h('a', {class: 'button wide', href: `${api}/session/sign-in?client=latchkey-app`, id: 'sign-in'}, 'Sign in'));
    } else {
      say(box, 'bad', new ApiError(r.status, r.json).message);
    }
  });
  show('Create an account', h('div', {class: 'card'}, form), h('p', {}, h('a', {href: '#/'}, 'Back')));
}

let map = null;

/** The available cars on a map (Leaflet; tiles only when configured, else a plain background); the list stays the full view. */
function drawMap(container, cars, position) {
  if (map) {
    map.remove();
    map = null;
  }
  const placed = cars.filter((c) => typeof c.lat === 'number' && typeof c.lon === 'number');
  if (!window.L || (!placed.length && !position)) {
    container.hidden = true;
    return;
  }
  container.hidden = false;
  map = baseMap(container, tiles);
  const points = [];
  for (const car of placed) {
    const marker = L.circleMarker([car.lat, car.lon], {radius: 10, color: '#ffffff', weight: 2, fillColor: '#1d4fb0', fillOpacity: 1});
    marker.bindTooltip(car.name);
    marker.on('click', () => {
      const button = document.querySelector(`button[data-car="${CSS.escape(car.id)}"]`);
      button?.scrollIntoView({block: 'center'});
      button?.focus();
    });
    marker.addTo(map);
    points.push([car.lat, car.lon]);
  }
  if (position) {
    L.circleMarker([position.lat, position.lon], {radius: 7, color: '#1d4fb0', weight: 3, fillColor: '#ffffff', fillOpacity: 1})
      .bindTooltip('You are here').addTo(map);
    points.push([position.lat, position.lon]);
  }
  if (points.length === 1) map.setView(points[0], 15);
  else map.fitBounds(points, {padding: [24, 24], maxZoom: 16});
}

async function findScreen() {
  const box = outcomeBox();
  const mapBox = h('div', {id: 'map', class: 'map', role: 'region', 'aria-label': 'Map of the available cars (the list below holds the same cars)', hidden: true});
  const results = h('ul', {class: 'cards', id: 'cars', 'aria-label': 'Available cars'});
  const now = new Date();
  const later = new Date(now.getTime() + 3600e3);
  const from = h('input', {id: 'from', type: 'datetime-local', value: localInput(now)});
  const to = h('input', {id: 'to', type: 'datetime-local', value: localInput(later)});
  const times = h('div', {id: 'times', hidden: true}, h('label', {for: 'from'}, 'From'), from, h('label', {for: 'to'}, 'Until'), to);
  const nowChoice = h('input', {type: 'radio', name: 'when', id: 'when-now', value: 'now', checked: true});
  const laterChoice = h('input', {type: 'radio', name: 'when', id: 'when-later', value: 'later'});
  const near = h('input', {type: 'checkbox', id: 'near'});
  for (const c of [nowChoice, laterChoice]) c.addEventListener('change', () => { times.hidden = !laterChoice.checked; });
  const form = h('form', {},
    h('fieldset', {}, h('legend', {}, 'When'),
      h('label', {class: 'choice', for: 'when-now'}, nowChoice, 'Now, for an hour'),
      h('label', {class: 'choice', for: 'when-later'}, laterChoice, 'At a time I choose')),
    times,
    h('label', {class: 'choice', for: 'near'}, near, 'Nearest first (uses your position)'),
    h('button', {type: 'submit', class: 'wide'}, 'Show available cars'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    box.className = 'outcome';
    box.replaceChildren();
    const immediate = nowChoice.checked;
    const start = immediate ? new Date() : new Date(from.value);
    const end = immediate ? new Date(Date.now() + 3600e3) : new Date(to.value);
    if (!immediate && !(end > start)) {
      say(box, 'bad', '"Until" must be after "From".');
      return;
    }
    let query = `from=${encodeURIComponent(start.toISOString())}&to=${encodeURIComponent(end.toISOString())}`;
    let position = null;
    if (near.checked) {
      try {
        const pos = await new Promise((resolve, reject) => navigator.geolocation.getCurrentPosition(resolve, reject, {timeout: 8000}));
        position = {lat: pos.coords.latitude, lon: pos.coords.longitude};
        query += `&lat=${pos.coords.latitude.toFixed(6)}&lon=${pos.coords.longitude.toFixed(6)}`;
      } catch (e) {
        say(box, 'info', 'Your position is not available; the cars are listed without distances.');
      }
    }
    const r = await call('GET', `${api}/cars/available?${query}`);
    if (r.status !== 200) {
      say(box, 'bad', new ApiError(r.status, r.json).message);
      return;
    }
    results.replaceChildren(...((r.json || []).length ? r.json.map((car) => carCard(car, immediate, start, end, box))
      : [h('li', {class: 'card'}, 'No car is free for that time.')]));
    drawMap(mapBox, r.json || [], position);
    results.querySelector('button')?.focus();
  });
  show('Find a car', h('div', {class: 'card'}, form), box, mapBox, results);
}

function carCard(car, immediate, start, end, box) {
  const book = h('button', {type: 'button', class: 'wide', 'data-car': car.id},
    immediate ? `Reserve ${car.name} now` : `Book ${car.name}`);
  book.addEventListener('click', async () => {
    book.disabled = true;
    const body = immediate ? {carId: car.id, immediate: true} : {carId: car.id, start: start.toISOString(), end: end.toISOString()};
    const r = await call('POST', `${api}/bookings`, body);
    if (r.status === 201) {
      await loadCarNames();
      location.hash = immediate ? `#/car/${encodeURIComponent(r.json.id)}` : '#/bookings';
    } else {
      book.disabled = false;
      say(box, 'bad', `Not booked: ${new ApiError(r.status, r.json).message}`);
      box.focus?.();
    }
  });
  return h('li', {class: 'card'},
    h('h2', {}, car.name),
    h('p', {}, `Plate ${car.plate}`),
    car.distanceM !== undefined ? h('p', {}, distance(car.distanceM)) : null,
    h('p', {class: 'muted'}, car.online ? 'Online' : 'Offline right now'),
    book);
}

async function bookingsScreen() {
  await loadCarNames();
  const page = await expectOk('GET', `${api}/bookings?state=CONFIRMED,ACTIVE&size=50`);
  const bookings = page.items || [];
  await saveSnapshot(current(bookings));
  const box = outcomeBox();
  const list = h('ul', {class: 'cards', id: 'bookings', 'aria-label': 'Your bookings'},
    bookings.length ? bookings.map((b) => bookingCard(b, box)) : [h('li', {class: 'card'}, 'You have no current or upcoming booking. ',
      h('a', {href: '#/find'}, 'Find a car'))]);
  const past = await pastRentals();
  const shared = (await expectOk('GET', `${api}/bookings?coDriving=true&state=CONFIRMED,ACTIVE&size=50`)).items || [];
  show('My bookings', box, list,
    shared.length ? [h('h2', {class: 'section'}, 'Co-driving'), h('ul', {class: 'cards', id: 'co-driving', 'aria-label': 'Bookings you co-drive'},
      shared.map(coDrivingCard))] : null,
    past.length ? [h('h2', {class: 'section'}, 'Past rentals'), h('ul', {class: 'cards', id: 'past', 'aria-label': 'Past rentals'},
      past.map((b) => h('li', {class: 'card'}, h('h2', {}, carLabel(b.carId)),
        h('p', {}, `${when(b.startedAt || b.start)} – ${when(b.endedAt || b.end)}`),
        h('a', {class: 'button secondary', href: `#/receipt/${encodeURIComponent(b.id)}`}, 'Receipt'))))] : null);
}

/** The last five ended rentals, latest start first (the list is ordered by start: read its last pages). */
async function pastRentals() {
  const size = 5;
  const first = await expectOk('GET', `${api}/bookings?state=ENDED&size=${size}`);
  const total = first.total || 0;
  if (total <= size) return [...(first.items || [])].reverse();
  const lastPage = Math.floor((total - 1) / size);
  const last = await expectOk('GET', `${api}/bookings?state=ENDED&size=${size}&page=${lastPage}`);
  const before = await expectOk('GET', `${api}/bookings?state=ENDED&size=${size}&page=${lastPage - 1}`);
  return [...(before.items || []), ...(last.items || [])].reverse().slice(0, size);
}

function bookingCard(b, box) {
  const now = Date.now();
  const usable = b.state === 'ACTIVE' || (b.state === 'CONFIRMED' && Date.parse(b.start) <= now && now < Date.parse(b.end));
  const cancel = b.state === 'CONFIRMED' ? h('button', {type: 'button', class: 'secondary'}, 'Cancel booking') : null;
  cancel?.addEventListener('click', async () => {
    if (!confirm(`Cancel the booking of ${carLabel(b.carId)}?`)) return;
    const r = await call('POST', `${api}/bookings/${encodeURIComponent(b.id)}/cancel`, {});
    if (r.status === 200) {
      await bookingsScreen();
      say(document.getElementById('outcome'), 'ok', `Booking of ${carLabel(b.carId)} cancelled.`);
    } else {
      say(box, 'bad', `Not cancelled: ${new ApiError(r.status, r.json).message}`);
    }
  });
  return h('li', {class: 'card'},
    h('h2', {}, carLabel(b.carId)),
    h('p', {}, h('span', {class: 'state'}, b.state === 'ACTIVE' ? 'In use' : 'Booked')),
    h('p', {}, `${when(b.start)} – ${when(b.end)}`),
    b.holdUntil && b.state === 'CONFIRMED' ? h('p', {class: 'muted'}, `Start it at the car before ${when(b.holdUntil)}.`) : null,
    usable ? h('a', {class: 'button', href: `#/car/${encodeURIComponent(b.id)}`}, 'Go to the car') : null,
    cancel ? ' ' : null, cancel,
    coDriversForm(b));
}

/** Who else may drive: the co-drivers' codes (their user ids, from My account in their app), PUT /bookings/{id}/co-drivers. */
function coDriversForm(b) {
  const id = `co-drivers-${b.id}`;
  const box = outcomeBox(`${id}-outcome`);
  const input = h('input', {id, name: 'coDrivers', value: (b.coDrivers || []).join(', '), autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': `${id}-help`});
  const form = h('form', {class: 'co-drivers'},
    h('label', {for: id}, 'Co-drivers'),
    h('p', {id: `${id}-help`, class: 'muted'}, 'Their co-driver codes (each finds theirs under My account), separated by commas; up to 4. '
      + 'Each gets a phone key of their own for this booking; remove a code and that key stops working.'),
    input, h('button', {type: 'submit', class: 'secondary'}, 'Save co-drivers'), box);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const codes = input.value.split(/[\s,]+/).filter(Boolean);
    const r = await call('PUT', `${api}/bookings/${encodeURIComponent(b.id)}/co-drivers`, {coDrivers: codes});
    if (r.status === 200) {
      b.coDrivers = r.json.coDrivers || [];
      input.value = b.coDrivers.join(', ');
      say(box, 'ok', b.coDrivers.length ? `Saved: ${b.coDrivers.length} co-driver${b.coDrivers.length > 1 ? 's' : ''}.` : 'Saved: no co-drivers.');
    } else {
      say(box, 'bad', `Not saved: ${new ApiError(r.status, r.json).message}`);
    }
  });
  return form;
}

/** A booking of somebody else that names this user as a co-driver: the phone key is theirs to use. */
function coDrivingCard(b) {
  const now = Date.now();
  const usable = b.state === 'ACTIVE' || (b.state === 'CONFIRMED' && Date.parse(b.start) <= now && now < Date.parse(b.end));
  return h('li', {class: 'card'},
    h('h2', {}, carLabel(b.carId)),
    h('p', {}, h('span', {class: 'state'}, 'Co-driver')),
    h('p', {}, `${when(b.start)} – ${when(b.end)}`),
    h('p', {class: 'muted'}, 'Another borrower named you on their booking. Open the car with your own phone key.'),
    usable ? h('a', {class: 'button', href: `#/car/${encodeURIComponent(b.id)}`}, 'Phone key') : null);
}

const REASONS = {
  DOOR_OPEN: 'A door is open', BOOT_OPEN: 'The boot is open', IGNITION_ON: 'The ignition is on', MOVING: 'The car is moving',
  SPEED_UNKNOWN: 'The car cannot tell that it stands still', KEY_NOT_IN_HOLDER: 'The key is not in its holder',
  OUTSIDE_HOME_ZONE: 'The car is outside its home zone', POSITION_UNKNOWN: 'The car has no position fix',
};
function reason(text) {
  const [code, ...rest] = String(text).split(':');
  const detail = rest.join(':').trim();
  const known = REASONS[code.trim()];
  return known ? (detail ? `${known}: ${detail}` : known) : text;
}

// ---------- the car now (while a booking covers now): GET /cars/{id}, then its live stream ----------
const LOCK_WORDS = {LOCKED: 'Locked', UNLOCKED: 'Unlocked', UNKNOWN: 'Not known'};
let carMap = null;

function stopLive() {
  if (phoneKey) {
    phoneKey.stop();
    phoneKey = null;
  }
  if (live) {
    live.close();
    live = null;
  }
  if (carMap) {
    carMap.remove();
    carMap = null;
  }
}

const covers = (b, now = Date.now()) => b.state === 'ACTIVE' || (b.state === 'CONFIRMED' && Date.parse(b.start) <= now && now < Date.parse(b.end));

/**
 * The car's lock, fuel or charge and position, first as GET /cars/{id} has them, then as the fleet's live stream
 * (GET /fleet/stream?carId=, the booking's car only) reports each change. The stream closes when the screen changes.
 */
function livePanel(carId) {
  const lockValue = h('dd', {id: 'live-lock'}, '…');
  const energyName = h('dt', {}, 'Fuel');
  const energyValue = h('dd', {id: 'live-energy'}, '…');
  const positionValue = h('dd', {id: 'live-position'}, '…');
  const seenValue = h('dd', {id: 'live-seen'}, '…');
  const status = h('p', {class: 'muted', id: 'live-status'}, 'Connecting…');
  const mapBox = h('div', {id: 'car-map', class: 'map small', role: 'region', 'aria-label': 'Where the car is (the position is also given above)', hidden: true});
  let marker = null;
  const time = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
  function draw(state, at) {
    if (!state) return;
    lockValue.textContent = (LOCK_WORDS[state.lockState] || 'Not known') + (state.doorsOpen ? ', a door is open' : '');
    if (typeof state.socPercent === 'number') {
      energyName.textContent = 'Charge';
      energyValue.textContent = `${Math.round(state.socPercent)} %`;
    } else {
      energyName.textContent = 'Fuel';
      energyValue.textContent = typeof state.fuelPercent === 'number' ? `${Math.round(state.fuelPercent)} %` : 'Not known';
    }
    const placed = typeof state.lat === 'number' && typeof state.lon === 'number';
    positionValue.textContent = placed ? `${state.lat.toFixed(5)}, ${state.lon.toFixed(5)}`
      + (state.speedKmh > 0 ? `, moving at ${Math.round(state.speedKmh)} km/h` : '') : 'Not known';
    const seen = at || state.lastSeen;
    seenValue.textContent = seen ? time.format(new Date(seen)) : '–';
    if (placed && window.L) {
      if (!carMap) {
        mapBox.hidden = false;
        carMap = baseMap(mapBox, tiles, {zoomControl: false});
        marker = L.circleMarker([state.lat, state.lon], {radius: 10, color: '#ffffff', weight: 2, fillColor: '#1d4fb0', fillOpacity: 1}).addTo(carMap);
        carMap.setView([state.lat, state.lon], 16);
      } else {
        marker.setLatLng([state.lat, state.lon]);
        carMap.panTo([state.lat, state.lon]);
      }
    }
  }
  async function start() {
    const r = await call('GET', `${api}/cars/${encodeURIComponent(carId)}`);
    if (r.status !== 200) {
      status.textContent = 'The car\'s state is not available right now.';
      return;
    }
    if (!card.isConnected) return; // the screen changed meanwhile: no stream for a page not shown
    draw(r.json.state);
    if (live) live.close();
    const stream = new EventSource(`${api}/fleet/stream?carId=${encodeURIComponent(carId)}`);
    live = stream;
    const onChange = (event) => {
      try {
        const change = JSON.parse(event.data);
        if (change.carId === carId) draw(change.state, change.recordedAt);
      } catch (e) {
        // not a state: ignored
      }
    };
    stream.addEventListener('state', onChange);
    stream.addEventListener('position', onChange);
    stream.addEventListener('open', () => { status.textContent = 'Live: updates as the car reports.'; });
    stream.addEventListener('error', () => {
      status.textContent = stream.readyState === EventSource.CLOSED ? 'Live updates stopped.' : 'Reconnecting…';
    });
  }
  const card = h('div', {class: 'card', id: 'live'}, h('h2', {}, 'The car now'),
    h('dl', {class: 'facts'}, h('dt', {}, 'Lock'), lockValue, energyName, energyValue, h('dt', {}, 'Position'), positionValue,
      h('dt', {}, 'Reported'), seenValue),
    mapBox, status);
  return {card, start};
}

/** Asks for a later end (POST /bookings/{id}/extend); says in words why not when the car is taken or a limit is hit. */
function extendCard(booking, onExtended, disabled) {
  const by = h('select', {id: 'extend-by', disabled},
    [[15, '15 minutes'], [30, '30 minutes'], [60, '1 hour'], [120, '2 hours'], [240, '4 hours']]
      .map(([minutes, text]) => h('option', {value: minutes, selected: minutes === 60}, text)));
  const button = h('button', {type: 'button', id: 'extend', class: 'secondary wide', disabled}, 'Extend');
  const box = outcomeBox('extend-outcome');
  button.addEventListener('click', async () => {
    const end = new Date(Date.parse(booking.end) + Number(by.value) * 60e3);
    button.disabled = true;
    try {
      const r = await call('POST', `${api}/bookings/${encodeURIComponent(booking.id)}/extend`, {end: end.toISOString()});
      if (r.status === 200) {
        await onExtended(r.json);
        say(box, 'ok', `Extended: the car is yours until ${when(r.json.end)}.`);
      } else if (r.status === 409 && /already booked/.test((r.json && r.json.detail) || '')) {
        say(box, 'bad', `Not extended: the car is booked by someone else before ${when(end.toISOString())}, the end you asked for. A shorter extension may still fit.`);
      } else {
        const why = new ApiError(r.status, r.json).message;
        say(box, 'bad', `Not extended: ${why.charAt(0).toLowerCase()}${why.slice(1)}.`.replace(/\.\.$/, '.'));
      }
    } catch (e) {
      say(box, 'bad', e instanceof ApiError ? e.message : 'No connection. Nothing changed.');
    } finally {
      button.disabled = false;
    }
  });
  return h('div', {class: 'card'}, h('h2', {}, 'Need it longer?'),
    h('label', {for: 'extend-by'}, `Extend by`), by, button, box);
}

async function carScreen(bookingId, offline) {
  let booking;
  if (offline) {
    booking = offline.booking;
  } else {
    await loadCarNames();
    const r = await call('GET', `${api}/bookings/${encodeURIComponent(bookingId)}`);
    if (r.status !== 200) {
      show('Booking not found', h('p', {}, new ApiError(r.status, r.json).message), h('a', {href: '#/bookings'}, 'My bookings'));
      return;
    }
    booking = r.json;
    if (booking.state === 'ENDED' || booking.state === 'CANCELLED' || booking.state === 'NO_SHOW') {
      show(carLabel(booking.carId), h('p', {}, `This booking is ${booking.state.toLowerCase().replace('_', '-')}.`),
        lastReceipt && lastReceipt.bookingId === booking.id ? h('a', {class: 'button', href: `#/receipt/${encodeURIComponent(booking.id)}`}, 'See the receipt') : null,
        h('p', {}, h('a', {href: '#/bookings'}, 'My bookings')));
      return;
    }
    await saveSnapshot(booking);
  }
  const me = currentSession();
  if (!offline && me && booking.userId !== me.userId) {
    // a co-driver: the phone key is theirs; unlocking online, extending and ending stay the borrower's
    const key = keyCard(booking, true);
    phoneKey = key;
    show(carLabel(booking.carId),
      h('div', {class: 'card'}, h('p', {id: 'booking-state'}, h('span', {class: 'state'}, 'Co-driver'), ` until ${when(booking.end)}`),
        h('p', {class: 'muted'}, 'You are a co-driver on this booking. Your phone key opens and locks the car; '
          + 'the borrower extends and ends the rental.')),
      key.card,
      h('p', {}, h('a', {href: '#/bookings'}, 'My bookings')));
    await key.start();
    return;
  }
  const label = offline ? `${offline.car.name || booking.carId}${offline.car.plate ? ` (${offline.car.plate})` : ''}` : carLabel(booking.carId);
  const box = outcomeBox();
  const unlock = h('button', {type: 'button', id: 'unlock', disabled: !!offline}, 'Unlock');
  const lock = h('button', {type: 'button', id: 'lock', class: 'secondary', disabled: !!offline}, 'Lock');
  const end = h('button', {type: 'button', id: 'end', class: 'danger wide', disabled: !!offline || booking.state !== 'ACTIVE'}, 'End rental');
  const stateLine = h('p', {id: 'booking-state'}, h('span', {class: 'state'}, booking.state === 'ACTIVE' ? 'In use' : 'Booked'),
    ` until ${when(booking.end)}`);
  async function command(type, button) {
    unlock.disabled = lock.disabled = true;
    say(box, 'info', type === 'UNLOCK' ? 'Unlocking…' : 'Locking…');
    const started = performance.now();
    try {
      const r = await sendCommand(`${api}/cars/${encodeURIComponent(booking.carId)}/commands`, type);
      const ms = Math.round(performance.now() - started);
      if (r.status === 200 && r.json.outcome === 'EXECUTED') {
        say(box, 'ok', `${type === 'UNLOCK' ? 'Unlocked' : 'Locked'} (${ms} ms).`);
        if (type === 'UNLOCK' && booking.state === 'CONFIRMED') {
          booking.state = 'ACTIVE';
          end.disabled = false;
          stateLine.firstChild.textContent = 'In use';
          await saveSnapshot(booking);
        }
      } else if (r.json && r.json.outcome) {
        const failed = (r.json.failed || []).map(reason);
        say(box, 'bad', `The car did not ${type === 'UNLOCK' ? 'unlock' : 'lock'}${r.json.reason ? ` (${reason(r.json.reason)})` : ''}.`, failed);
      } else {
        say(box, 'bad', r.status === 504 ? 'The car did not answer. It may be out of reach; try again.' : new ApiError(r.status, r.json).message);
      }
    } catch (e) {
      say(box, 'bad', e instanceof ApiError ? e.message : 'No connection. Nothing was sent to the car.');
    } finally {
      unlock.disabled = lock.disabled = false;
      button.focus();
    }
  }
  unlock.addEventListener('click', () => command('UNLOCK', unlock));
  lock.addEventListener('click', () => command('LOCK', lock));
  end.addEventListener('click', async () => {
    end.disabled = true;
    say(box, 'info', 'The car is checking itself…');
    try {
      const r = await call('POST', `${api}/bookings/${encodeURIComponent(booking.id)}/end`, {});
      if (r.status === 200 && r.json.ended) {
        lastReceipt = r.json.receipt;
        await saveSnapshot(null);
        await forgetKeys(booking.id).catch(() => {});
        location.hash = `#/receipt/${encodeURIComponent(booking.id)}`;
        return;
      }
      if (r.status === 200) {
        say(box, 'bad', 'The rental has not ended. The car says:', (r.json.failed || []).map(reason));
      } else {
        say(box, 'bad', r.status === 504 ? 'The car did not answer. Nothing changed; try again.' : new ApiError(r.status, r.json).message);
      }
    } catch (e) {
      say(box, 'bad', e instanceof ApiError ? e.message : 'No connection. Nothing changed.');
    }
    end.disabled = false;
  });
  const extend = extendCard(booking, async (extended) => {
    booking = extended;
    stateLine.lastChild.textContent = ` until ${when(booking.end)}`;
    await saveSnapshot(booking);
  }, !!offline);
  const now = !offline && covers(booking) ? livePanel(booking.carId) : null;
  const key = keyCard(booking, !offline);
  phoneKey = key;
  show(label,
    offline ? h('p', {class: 'muted'}, `Saved ${when(offline.savedAt)}. Unlock and Lock need a connection: use the phone key below.`) : null,
    h('div', {class: 'card'}, stateLine,
      h('div', {class: 'big'}, unlock, lock), box),
    key.card,
    now ? now.card : null,
    extend,
    h('div', {class: 'card'},
      h('h2', {}, 'Done?'),
      h('p', {class: 'muted'}, 'Park, close all doors and the boot, switch off the ignition and put the key in its holder. The car checks before it locks.'),
      end),
    h('p', {}, h('a', {href: '#/bookings'}, 'My bookings')));
  await key.start();
  if (now) await now.start();
}

/** A receipt rebuilt from the booking and its trips (GET /bookings/{id}/trips), for a rental that ended earlier. */
async function fetchReceipt(bookingId) {
  await loadCarNames();
  const b = await expectOk('GET', `${api}/bookings/${encodeURIComponent(bookingId)}`);
  if (b.state !== 'ENDED') return null;
  const t = (await expectOk('GET', `${api}/bookings/${encodeURIComponent(bookingId)}/trips`)).totals || {};
  const from = b.startedAt || b.start;
  const to = b.endedAt || b.end;
  return {bookingId, car: carLabel(b.carId), startedAt: from, endedAt: to, durationS: (Date.parse(to) - Date.parse(from)) / 1000,
    distanceKm: t.distanceKm || 0, tripCount: t.count || 0, drivingS: t.durationS || 0, fuelUsedPct: t.fuelUsedPct,
    socUsedPct: t.socUsedPct, overdue: b.overdue, earlier: true};
}

async function receiptScreen(bookingId) {
  const r = lastReceipt && lastReceipt.bookingId === bookingId ? lastReceipt : await fetchReceipt(bookingId);
  if (!r) {
    show('Receipt', h('p', {}, 'This booking has no receipt: it did not end as a rental.'), h('a', {href: '#/bookings'}, 'My bookings'));
    return;
  }
  const facts = [
    ['Car', r.car], ['Started', when(r.startedAt)], ['Ended', when(r.endedAt)], ['Duration', duration(r.durationS)],
    ['Distance', `${r.distanceKm.toFixed(1)} km`], ['Trips', String(r.tripCount)], ['Driving', duration(r.drivingS)],
    r.fuelUsedPct !== undefined && r.fuelUsedPct !== null ? ['Fuel used', `${r.fuelUsedPct.toFixed(1)} % of the tank`] : null,
    r.socUsedPct !== undefined && r.socUsedPct !== null ? ['Charge used', `${r.socUsedPct.toFixed(1)} %`] : null,
    r.overdue ? ['Note', 'The rental ran past its booked end.'] : null,
  ].filter(Boolean);
  show(r.earlier ? 'Receipt' : 'Rental ended',
    r.earlier ? null : h('p', {class: 'outcome ok', role: 'status'}, 'The car is locked and your rental has ended. A copy of this receipt is on its way by e-mail.'),
    h('div', {class: 'card', id: 'receipt'}, h('h2', {}, 'Receipt'),
      h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
    h('a', {class: 'button', href: '#/find'}, 'Find another car'));
}

async function accountScreen() {
  const me = await expectOk('GET', `${api}/users/me`);
  const box = outcomeBox();
  const field = (id, label, value, attrs = {}) => [h('label', {for: id}, label),
    h('input', {id, name: id, value: value || '', ...attrs})];
  const form = h('form', {},
    field('name', 'Name', me.name, {autocomplete: 'name', required: true}),
    h('p', {class: 'muted'}, `E-mail: ${me.email}`),
    field('phone', 'Phone (optional)', me.phone, {type: 'tel', autocomplete: 'tel'}),
    field('driverLicence', 'Driving licence number (optional)', me.driverLicence, {autocomplete: 'off'}),
    field('dateOfBirth', 'Date of birth (optional)', me.dateOfBirth, {type: 'date', autocomplete: 'bday'}),
    h('p', {class: 'muted'}, 'Phone, licence and date of birth are asked again if you reset your password.'),
    h('button', {type: 'submit', class: 'wide'}, 'Save'), box);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const r = await call('PATCH', `${api}/users/me`, data);
    if (r.status === 200) say(box, 'ok', 'Saved.');
    else say(box, 'bad', `Not saved: ${new ApiError(r.status, r.json).message}`);
  });
  const terminate = h('button', {type: 'button', class: 'danger wide', id: 'terminate'}, 'Delete my account');
  terminate.addEventListener('click', async () => {
    if (!confirm('Delete your account for good? Your bookings are cancelled and you are signed out.')) return;
    const r = await call('DELETE', `${api}/users/me`);
    if (r.status === 204) {
      await loadSession(); // the account's sessions ended with it: the server says so, nothing is assumed
      await saveSnapshot(null);
      await forgetKeys().catch(() => {});
      location.hash = '#/';
      signedOut('Your account is deleted.');
    } else {
      say(box, 'bad', new ApiError(r.status, r.json).message);
    }
  });
  show('My account', h('div', {class: 'card'}, form),
    h('div', {class: 'card'}, h('h2', {}, 'Co-driving'),
      h('p', {}, 'Your co-driver code: ', h('code', {id: 'co-driver-code'}, me.id)),
      h('p', {class: 'muted'}, 'Give it to a borrower who wants to name you as a co-driver on their booking. '
        + 'Their booking then shows under My bookings, with a phone key of your own.')),
    h('div', {class: 'card'}, h('h2', {}, 'Password'),
      h('p', {}, h('a', {href: `${api}/reset-password`}, 'Change it with a reset link by e-mail'))),
    h('div', {class: 'card'}, h('h2', {}, 'Delete the account'),
      h('p', {class: 'muted'}, 'Open bookings are cancelled. This cannot be undone.'), terminate));
}

async function signOut() {
  stopLive();
  await endSession();
  await saveSnapshot(null);
  await forgetKeys().catch(() => {});
  location.hash = '#/';
  signedOut('You are signed out.');
}

// ---------- routing ----------
// Each navigation's number and address: a screen still loading when the user went elsewhere must not send them
// back. The address changes at once, the hashchange that routes it comes a moment later: both are compared.
let routeSeq = 0;

/** Whether the navigation {@code seq} routed (to {@code hash}) is still where the user is. */
function stillAt(seq, hash) {
  return seq === routeSeq && (location.hash || '#/') === hash;
}

async function route() {
  const seq = ++routeSeq;
  const hash = location.hash || '#/';
  const [, screen, id] = hash.split('/').map(decodeURIComponent);
  stopLive();
  if (!currentSession()) {
    if (screen === 'register') registerScreen();
    else signedOut();
    return;
  }
  try {
    if (screen === 'bookings') await bookingsScreen();
    else if (screen === 'car' && id) await carScreen(id);
    else if (screen === 'receipt' && id) await receiptScreen(id);
    else if (screen === 'find') await findScreen();
    else if (screen === 'account') await accountScreen();
    else await home(seq, hash);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      show('Something went wrong', h('p', {class: 'outcome bad', role: 'alert'}, e.message || String(e)), h('a', {href: '#/bookings'}, 'My bookings'));
    }
  }
}

async function home(seq, hash) {
  await loadCarNames();
  const page = await expectOk('GET', `${api}/bookings?state=CONFIRMED,ACTIVE&size=50`);
  const now = current(page.items || []);
  await saveSnapshot(now);
  if (!stillAt(seq, hash)) return; // the user opened another screen meanwhile (e.g. My account right after signing in)
  if (now) location.replace(`#/car/${encodeURIComponent(now.id)}`);
  else location.replace('#/find');
}

async function offlineStart() {
  document.getElementById('offline').hidden = false;
  const snapshot = await readSnapshot();
  if (snapshot) {
    await carScreen(snapshot.booking.id, snapshot);
  } else {
    show('Offline', h('p', {}, 'No current booking is saved on this device. Connect to find and book a car.'));
  }
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', signOut);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js', {scope: './'}).catch(() => { /* the app works without it */ });
  }
  whenSessionEnds((message) => {
    stopLive();
    signedOut(message);
  });
  let session;
  try {
    session = await loadSession();
  } catch (e) {
    await offlineStart();
    return;
  }
  tiles = (await loadConfig()).tiles || null;
  if (session) {
    if (!session.roles.includes('borrower')) {
      show('Not a borrower account', h('p', {}, 'This app is for borrowers. Operators use the console.'));
      return;
    }
    document.getElementById('nav').hidden = false;
  } else {
    await saveSnapshot(null);
  }
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => { document.getElementById('offline').hidden = true; });
  window.addEventListener('offline', () => { document.getElementById('offline').hidden = false; });
  await route();
}

start();

// The fleet: the live map (#/map, the console's home) and the list (#/fleet). Both read GET /t/{tenant}/fleet and
// follow GET /t/{tenant}/fleet/stream (EventSource with the session cookie), closed when the operator leaves the
// view. The map draws every car on one canvas layer (fleet-layer.js); the list is its accessible alternative.
// See docs/console.md "Fleet map and list".
import {h, api, baseMap, call, expectOk, ago, when} from './common.js';
import {STATES, STATE, stateOf, fleetLayer} from './fleet-layer.js';

const PAGE = 1000; // FleetView.MAX_SIZE: the map reads the whole fleet in pages of this size
const LIST_PAGE = 50;
const RESYNC_MS = 20000; // the map reads the whole fleet again this often (bookings, acknowledged alerts)
const LIST_REFRESH_MS = 10000; // the list's page is read again at least this often


/** A state badge: its shape and its name (never colour alone). */
function badge(key) {
  const s = STATE[key];
  return h('span', {class: `fleet-state fleet-${key}`}, h('span', {class: `swatch ${s.shape}`, 'aria-hidden': 'true'}), s.label);
}

function energy(car) {
  const parts = [];
  if (car.fuelPercent !== null && car.fuelPercent !== undefined) parts.push(`fuel ${Math.round(car.fuelPercent)} %`);
  if (car.socPercent !== null && car.socPercent !== undefined) parts.push(`charge ${Math.round(car.socPercent)} %`);
  if (car.batteryVoltage !== null && car.batteryVoltage !== undefined) parts.push(`${car.batteryVoltage.toFixed(1)} V`);
  return parts.length ? parts.join(', ') : '–';
}

function lockText(car) {
  if (!car.lockState) return 'unknown';
  return car.lockState === 'UNLOCKED' ? 'Unlocked' : car.lockState === 'LOCKED' ? 'Locked' : 'unknown';
}

function bookingText(b) {
  if (!b) return 'none';
  return `${b.state === 'ACTIVE' ? 'In use' : 'Booked'}${b.overdue ? ' (overdue)' : ''} until ${when(b.end)}`;
}

/** A car of the stream's state/position event laid over what is known (an older state never replaces a newer one). */
function apply(car, data) {
  const s = data.state || {};
  if (car.lastSeq !== null && car.lastSeq !== undefined && s.lastSeq !== null && s.lastSeq !== undefined && s.lastSeq < car.lastSeq) {
    return false;
  }
  Object.assign(car, {online: !!s.online, lockState: s.lockState, doorsOpen: s.doorsOpen, ignition: s.ignition,
    speedKmh: s.speedKmh, lastSeen: s.lastSeen, recordedAt: data.recordedAt});
  if (s.lastSeq !== null && s.lastSeq !== undefined) car.lastSeq = s.lastSeq;
  if (s.lat !== null && s.lat !== undefined && s.lon !== null && s.lon !== undefined) {
    car.lat = s.lat;
    car.lon = s.lon;
  }
  const r = data.readings || {};
  car.fuelPercent = s.fuelPercent ?? r.fuelPercent ?? car.fuelPercent;
  car.socPercent = s.socPercent ?? r.socPercent ?? car.socPercent;
  car.batteryVoltage = r.batteryVoltage ?? car.batteryVoltage;
  car.state = stateOf(car);
  return true;
}

/**
 * The fleet stream: state, position and event messages to `on(kind, data, id)`, `reset` to `onReset()`. Closed by
 * the returned function. When the browser gives up (the session ended), a call to the API shows the sign-in.
 */
function follow(on, onReset, onLost) {
  const source = new EventSource(`${api}/fleet/stream`);
  const handler = (kind) => (e) => {
    let data;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    on(kind, data, e.lastEventId);
  };
  source.addEventListener('state', handler('state'));
  source.addEventListener('position', handler('position'));
  source.addEventListener('event', handler('event'));
  source.addEventListener('reset', () => onReset());
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      onLost();
      call('GET', `${api}/session`).catch(() => {}); // a 401 here shows the sign-in screen
    }
  });
  return () => source.close();
}

/** Every car of the tenant: the first page, then the others at once. */
async function wholeFleet() {
  const first = await expectOk('GET', `${api}/fleet?size=${PAGE}&page=0`);
  const pages = Math.ceil(first.total / PAGE);
  const rest = await Promise.all(Array.from({length: Math.max(0, pages - 1)}, (_, i) =>
    expectOk('GET', `${api}/fleet?size=${PAGE}&page=${i + 1}`)));
  return {items: first.items.concat(...rest.map((p) => p.items)), latestEventId: first.latestEventId};
}

// ---------- the map ----------

async function renderMap(ctx) {
  const counts = h('ul', {class: 'fleet-legend', 'aria-label': 'Legend and counts'});
  const live = h('p', {class: 'muted', id: 'fleet-live', role: 'status'}, 'Loading the fleet…');
  const container = h('div', {class: 'map fleet-map', id: 'fleet-map', role: 'region',
    'aria-label': 'Fleet map', 'aria-describedby': 'fleet-map-help'});
  const help = h('p', {class: 'muted', id: 'fleet-map-help'},
    'Arrow keys pan the focused map, + and − zoom, Enter opens the car or group nearest the centre. ',
    'The ', h('a', {href: '#/fleet'}, 'fleet list'), ' shows the same cars as a table, for keyboard and screen-reader use.');
  ctx.show('Fleet map', h('div', {class: 'toolbar'}, counts, live), container, help);

  const cars = new Map();
  let closed = false;
  let stopStream = () => {};
  let pending = []; // stream messages that arrived before the fleet view
  let since = null; // the view's latestEventId: older messages are already in it

  const map = baseMap(container, ctx.config.tiles || null, {worldCopyJump: false, maxZoom: 18, minZoom: 2, keyboard: true});
  map.setView([20, 0], 2);
  const popup = L.popup({maxWidth: 320, autoPanPadding: [24, 24]});
  const layer = fleetLayer(L, cars, (item, at) => {
    if (item.cars.length > 1 && map.getZoom() < map.getMaxZoom()) {
      const bounds = L.latLngBounds(item.cars.map((c) => [c.lat, c.lon]));
      if (bounds.getNorthEast().equals(bounds.getSouthWest())) map.setView(bounds.getCenter(), map.getMaxZoom());
      else map.fitBounds(bounds.pad(0.2), {maxZoom: map.getMaxZoom()});
      return;
    }
    popup.setLatLng(at).setContent(summary(item.cars)).openOn(map);
    const link = popup.getElement() && popup.getElement().querySelector('a[href^="#/cars/"]');
    // without preventScroll the focus would scroll the map's own box (overflow hidden) and shift every layer
    if (link) link.focus({preventScroll: true});
  });
  layer.addTo(map);
  // a summary belongs to the zoom it was opened at: zoomed out, its car may be inside a bubble
  map.on('zoomstart', () => map.closePopup());
  let received = 0; // stream messages, for the measurements
  Object.defineProperty(window, 'lkFleetMap', {configurable: true, get: () => Object.freeze(Object.assign(layer.snapshot(), {received}))});

  function legend() {
    const n = Object.fromEntries(STATES.map((s) => [s.key, 0]));
    let unplaced = 0;
    for (const car of cars.values()) {
      n[car.state]++;
      if (car.lat === null || car.lat === undefined) unplaced++;
    }
    const items = STATES.map((s) => h('li', {id: `legend-${s.key}`}, badge(s.key), h('span', {class: 'count'}, ` ${n[s.key]}`)));
    if (unplaced) items.push(h('li', {class: 'muted', id: 'legend-unplaced'}, `${unplaced} without a position`));
    counts.replaceChildren(...items);
  }
  let legendTimer = 0;
  function legendSoon() {
    if (!legendTimer) legendTimer = setTimeout(() => { legendTimer = 0; if (!closed) legend(); }, 500);
  }

  function onMessage(kind, data, id) {
    received++;
    if (since === null) {
      pending.push([kind, data, id]);
      return;
    }
    const car = cars.get(data.carId);
    if (!car) return; // a car created after the view: it shows at the next reset or visit
    if (kind === 'event') {
      if (data.alert) {
        car.openAlerts = (car.openAlerts || 0) + 1;
        car.state = stateOf(car);
      }
    } else if (!apply(car, data)) {
      return;
    }
    layer.redraw();
    legendSoon();
  }

  async function load(fit) {
    since = null;
    const fleet = await wholeFleet();
    if (closed) return;
    performance.mark('lk-fleet-loaded');
    cars.clear();
    for (const item of fleet.items) cars.set(item.id, Object.assign({}, item, {state: stateOf(item)}));
    since = BigInt(fleet.latestEventId);
    const queued = pending;
    pending = [];
    for (const [kind, data, id] of queued) {
      if (id && BigInt(id) > since) onMessage(kind, data, id);
    }
    if (fit) {
      const placed = [...cars.values()].filter((c) => c.lat !== null && c.lat !== undefined);
      if (placed.length) map.fitBounds(L.latLngBounds(placed.map((c) => [c.lat, c.lon])).pad(0.05), {maxZoom: 15, animate: false});
    }
    legend();
    live.textContent = `${cars.size} cars, live.`;
    layer.redraw();
  }

  function summary(list) {
    if (list.length === 1) {
      const car = list[0];
      return h('div', {class: 'fleet-popup'},
        h('p', {class: 'title'}, car.name || car.id),
        h('dl', {class: 'facts'},
          h('dt', {}, 'Plate'), h('dd', {}, car.plate || '–'),
          h('dt', {}, 'State'), h('dd', {}, badge(car.state)),
          h('dt', {}, 'Last seen'), h('dd', {}, car.online ? 'online' : `offline, ${ago(car.lastSeen)}`),
          h('dt', {}, 'Lock'), h('dd', {}, lockText(car)),
          h('dt', {}, 'Energy'), h('dd', {}, energy(car)),
          h('dt', {}, 'Alerts'), h('dd', {}, String(car.openAlerts || 0)),
          h('dt', {}, 'Booking'), h('dd', {}, bookingText(car.activeBooking))),
        h('a', {href: `#/cars/${encodeURIComponent(car.id)}`}, `Open ${car.name || car.id}`));
    }
    const shown = list.slice(0, 25);
    return h('div', {class: 'fleet-popup'},
      h('p', {class: 'title'}, `${list.length} cars here`),
      h('ul', {class: 'fleet-group'}, shown.map((car) => h('li', {}, badge(car.state), ' ',
        h('a', {href: `#/cars/${encodeURIComponent(car.id)}`}, car.name || car.id), ` ${car.plate || ''}`))),
      list.length > shown.length ? h('p', {class: 'muted'}, `and ${list.length - shown.length} more: see the fleet list`) : null);
  }

  stopStream = follow(onMessage, () => { load(false).catch(() => {}); }, () => {
    if (!closed) live.textContent = 'Live updates stopped. Reload the page to resume.';
  });
  await load(true);
  // bookings starting or ending and alerts acknowledged send nothing on the stream: the whole view is read again
  let resyncing = false;
  const resync = setInterval(() => {
    if (resyncing || closed) return;
    resyncing = true;
    load(false).catch(() => {}).finally(() => { resyncing = false; });
  }, RESYNC_MS);

  return () => {
    closed = true;
    clearInterval(resync);
    stopStream();
    clearTimeout(legendTimer);
    map.remove();
    delete window.lkFleetMap;
  };
}

// ---------- the list ----------

/** The list's filters, kept while the console is open (so coming back from a car keeps them). */
const filters = {online: '', low: false, unlocked: false, alerts: false, bookedNow: false, q: '', page: 0};

function query() {
  const p = new URLSearchParams({size: String(LIST_PAGE), page: String(filters.page)});
  if (filters.online) p.set('online', filters.online);
  if (filters.low) p.set('low', 'true');
  if (filters.unlocked) p.set('lock', 'UNLOCKED');
  if (filters.alerts) p.set('alerts', 'true');
  if (filters.bookedNow) p.set('bookedNow', 'true');
  if (filters.q.trim()) p.set('q', filters.q.trim());
  return p.toString();
}

async function renderList(ctx) {
  let closed = false;
  const check = (key, label) => h('label', {class: 'check'},
    h('input', {type: 'checkbox', id: `filter-${key}`, checked: filters[key], onchange: (e) => { filters[key] = e.target.checked; again(); }}),
    ` ${label}`);
  const online = h('select', {id: 'filter-online', onchange: (e) => { filters.online = e.target.value; again(); }},
    h('option', {value: ''}, 'Any'), h('option', {value: 'true'}, 'Online'), h('option', {value: 'false'}, 'Offline'));
  online.value = filters.online;
  const search = h('input', {type: 'search', id: 'filter-q', value: filters.q, maxlength: '100', autocomplete: 'off',
    placeholder: 'name or plate'});
  const form = h('form', {class: 'toolbar fleet-filters', role: 'search', 'aria-label': 'Filter the fleet',
    onsubmit: (e) => { e.preventDefault(); filters.q = search.value; again(); }},
  h('span', {}, h('label', {for: 'filter-q'}, 'Search '), search, ' ', h('button', {type: 'submit'}, 'Search')),
  h('span', {}, h('label', {for: 'filter-online'}, 'Connection '), online),
  check('low', 'Low fuel or battery'), check('unlocked', 'Unlocked'), check('alerts', 'With alerts'), check('bookedNow', 'Booked now'));
  const status = h('p', {id: 'fleet-count', role: 'status', 'aria-live': 'polite'});
  const body = h('tbody', {id: 'fleet-rows'});
  const table = h('div', {class: 'table-wrap'}, h('table', {id: 'fleet-table'},
    h('caption', {class: 'sr-only'}, 'Cars of the fleet, filtered'),
    h('thead', {}, h('tr', {}, ['Name', 'Plate', 'State', 'Connection', 'Lock', 'Fuel / charge / battery', 'Alerts', 'Current booking']
      .map((t) => h('th', {scope: 'col'}, t)))), body));
  const prev = h('button', {type: 'button', class: 'secondary', id: 'fleet-prev', onclick: () => { filters.page--; refresh(); }}, 'Previous');
  const next = h('button', {type: 'button', class: 'secondary', id: 'fleet-next', onclick: () => { filters.page++; refresh(); }}, 'Next');
  ctx.show('Fleet', form, status, table, h('div', {class: 'toolbar fleet-pages'}, prev, next),
    h('p', {class: 'muted'}, 'The list follows the cars live (refreshed within a few seconds of a change). The ',
      h('a', {href: '#/map'}, 'fleet map'), ' shows them where they are.'));

  let shown = new Set();
  let loading = null;
  async function refresh() {
    const q = query();
    const r = await call('GET', `${api}/fleet?${q}`);
    if (closed) return;
    if (r.status !== 200) {
      status.textContent = (r.json && r.json.detail) || `The fleet could not be read (HTTP ${r.status}).`;
      return;
    }
    const page = r.json;
    const pages = Math.max(1, Math.ceil(page.total / LIST_PAGE));
    if (filters.page >= pages && filters.page > 0) {
      filters.page = pages - 1;
      return refresh();
    }
    const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.car : null;
    body.replaceChildren(...page.items.map(row));
    shown = new Set(page.items.map((c) => c.id));
    if (focused) {
      const again = body.querySelector(`a[data-car="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
    const from = page.total ? filters.page * LIST_PAGE + 1 : 0;
    status.textContent = page.total
      ? `Cars ${from}–${from + page.items.length - 1} of ${page.total}.`
      : 'No car matches these filters.';
    prev.disabled = filters.page <= 0;
    next.disabled = filters.page >= pages - 1;
  }
  function again() {
    filters.page = 0;
    refresh();
  }
  function row(car) {
    const state = stateOf(car);
    return h('tr', {'data-car': car.id},
      h('td', {}, h('a', {href: `#/cars/${encodeURIComponent(car.id)}`, 'data-car': car.id}, car.name || car.id)),
      h('td', {}, car.plate || '–'),
      h('td', {}, badge(state)),
      h('td', {}, car.online ? 'online' : `offline, seen ${ago(car.lastSeen)}`),
      h('td', {}, lockText(car)),
      h('td', {}, energy(car)),
      h('td', {}, String(car.openAlerts || 0)),
      h('td', {}, bookingText(car.activeBooking)));
  }

  // live: a change (a switch, an alert, or a shown car moving) refreshes the page, at most every 2 s; and at least
  // every 10 s, for what the stream does not carry (bookings starting or ending, alerts acknowledged)
  let dirty = false;
  let readAt = Date.now();
  const timer = setInterval(() => {
    if ((dirty || Date.now() - readAt >= LIST_REFRESH_MS) && !loading) {
      dirty = false;
      readAt = Date.now();
      loading = refresh().finally(() => { loading = null; });
    }
  }, 2000);
  const stop = follow((kind, data) => {
    if (kind !== 'position' || shown.has(data.carId)) dirty = true;
  }, () => { dirty = true; }, () => {});
  await refresh();
  return () => {
    closed = true;
    clearInterval(timer);
    stop();
  };
}

export const views = [
  {path: '#/map', nav: 'Map', render: renderMap},
  {path: '#/fleet', nav: 'Fleet', render: renderList},
];

// One car's page (#/cars/{id}): its state (live from the fleet stream), position on a small map, recent telemetry
// as charts (inline SVG, with a text summary and a table), trips on the map with a replay, events (acknowledge an
// alert), its bookings (the timeline of bookings.js), the installation report and the commands (lock, unlock,
// immobilise, mobilise), each after a confirmation, with the car's answer in words. See docs/console.md.
import {h, api, baseMap, confirmDialog, expectOk, outcomeBox, say, sendCommand, when, ago, duration} from './common.js';
import {alertInWords} from './admin.js';
import {bookingTimeline, STATES, views as bookingViews} from './bookings.js';

const SVG = 'http://www.w3.org/2000/svg';
const FUEL = 'Vehicle.Powertrain.FuelSystem.RelativeLevel';
const SOC = 'Vehicle.Powertrain.TractionBattery.StateOfCharge.Current';
const VOLTAGE = 'Vehicle.LowVoltageBattery.CurrentVoltage';
const MAX_RECORDS = 1000;

/** What the car's refusals and failures mean, in words (the agent's and the protocol's codes). */
const REASONS = {
  MOVING: 'the car is moving',
  SPEED_UNKNOWN: 'the car cannot tell that it stands still (no speed signal and no current GPS fix)',
  IGNITION_ON: 'the ignition is on',
  IGNITION_UNKNOWN: 'the car has no ignition signal',
  NO_IMMOBILISER: 'no immobiliser relay is fitted in this car',
  DOOR_OPEN: 'a door is open',
  NO_FEEDBACK: 'the lock did not confirm that it moved',
  RELAY_ERROR: 'the relay failed',
  EXPIRED: 'the command expired before the car could carry it out',
  NOT_YET_VALID: 'the command is not valid yet (the car\'s clock is behind)',
  BAD_SIGNATURE: 'the command\'s signature did not verify',
  UNKNOWN_KEY: 'the car does not know the key the command was signed with',
  WRONG_TENANT: 'the command was for another tenant',
  WRONG_DEVICE: 'the command was for another device',
  REPLAYED: 'the command was sent before',
  MALFORMED: 'the command was malformed',
  UNSAFE: 'it is not safe now',
};
const words = (code) => {
  if (!code) return 'no reason given';
  const [head, ...rest] = String(code).split(':');
  const known = REASONS[head.trim()];
  return known ? (rest.length ? `${known}:${rest.join(':')}` : known) : code;
};

const COMMANDS = {
  LOCK: {label: 'Lock', title: 'Lock this car?', text: 'The car locks its doors. A borrower inside can still open them from inside.',
    done: 'the car is locked'},
  UNLOCK: {label: 'Unlock', title: 'Unlock this car?', text: 'The car unlocks its doors: anyone at the car can open it.',
    done: 'the car is unlocked'},
  IMMOBILISE: {label: 'Immobilise', title: 'Immobilise this car?', danger: true,
    text: 'The engine can then not be started until the car is mobilised. The car refuses while it moves or its ignition is on.',
    done: 'the car is immobilised', verb: 'immobilise'},
  MOBILISE: {label: 'Mobilise', title: 'Mobilise this car?', text: 'The engine can be started again.', done: 'the car is mobilised',
    verb: 'mobilise'},
};

const timeFormat = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
const fmt = (n, digits = 0) => (n === null || n === undefined ? '–' : Number(n).toFixed(digits));

/** An SVG element (h() builds HTML ones). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/**
 * A line chart of {t, v} points as accessible inline SVG: a title and a description (the same summary the caption
 * shows), one circle per point (up to 400), min and max on the value axis, first and last time on the time axis.
 */
export function lineChart(id, title, unit, points) {
  const W = 600;
  const H = 220;
  const left = 64;
  const right = 12;
  const top = 12;
  const bottom = 30;
  const summary = points.length
    ? `${points.length} readings from ${timeFormat.format(points[0].t)} to ${timeFormat.format(points[points.length - 1].t)}; `
      + `lowest ${fmt(Math.min(...points.map((p) => p.v)), 1)} ${unit}, highest ${fmt(Math.max(...points.map((p) => p.v)), 1)} ${unit}, `
      + `latest ${fmt(points[points.length - 1].v, 1)} ${unit}.`
    : 'No readings in this period.';
  const svg = s('svg', {id, class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`,
    'data-points': points.length});
  svg.append(s('title', {id: `${id}-title`}, title), s('desc', {id: `${id}-desc`}, summary));
  svg.append(s('rect', {x: left, y: top, width: W - left - right, height: H - top - bottom, class: 'plot'}));
  if (points.length) {
    const t0 = +points[0].t;
    const t1 = +points[points.length - 1].t;
    let lo = Math.min(...points.map((p) => p.v));
    let hi = Math.max(...points.map((p) => p.v));
    if (hi - lo < 1e-9) {
      lo -= 1;
      hi += 1;
    }
    const x = (t) => (t1 === t0 ? left + (W - left - right) / 2 : left + ((t - t0) / (t1 - t0)) * (W - left - right));
    const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (H - top - bottom);
    svg.append(
      s('text', {x: left - 6, y: top + 14, class: 'axis-label', 'text-anchor': 'end'}, fmt(hi, 1)),
      s('text', {x: left - 6, y: H - bottom, class: 'axis-label', 'text-anchor': 'end'}, fmt(lo, 1)),
      s('text', {x: left, y: H - 6, class: 'axis-label'}, timeFormat.format(points[0].t)),
      s('text', {x: W - right, y: H - 6, class: 'axis-label', 'text-anchor': 'end'}, timeFormat.format(points[points.length - 1].t)),
      s('polyline', {class: 'line', points: points.map((p) => `${x(+p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}));
    if (points.length <= 400) {
      for (const p of points) svg.append(s('circle', {class: 'pt', cx: x(+p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 4}));
    }
  }
  return h('figure', {class: 'card chart-card'}, h('figcaption', {}, h('strong', {}, title), ' ', h('span', {class: 'muted'}, summary)), svg);
}

/** The car's page. */
async function renderCar(ctx, id) {
  const enc = encodeURIComponent(id);
  const car = await expectOk('GET', `${api}/cars/${enc}`);
  const cleanups = [];
  const cleanup = () => cleanups.splice(0).forEach((f) => {
    try {
      f();
    } catch (e) {
      // leaving the page anyway
    }
  });

  let state = car.state || {};
  let readings = {};
  let current = null; // the booking covering now (from the fleet view)
  let openAlerts = null;

  // ---------- the skeleton ----------
  const facts = h('dl', {class: 'facts', id: 'car-state'});
  const mapBox = h('div', {class: 'map car-map', id: 'car-map', role: 'region', 'aria-label': `Map: position of ${car.name} and the trip shown`});
  const commandBox = outcomeBox('command-outcome');
  const buttons = Object.entries(COMMANDS).map(([type, c]) => h('button', {type: 'button', id: `cmd-${type.toLowerCase()}`,
    class: c.danger ? 'danger' : null, onclick: () => command(type)}, c.label));
  const windowSelect = h('select', {id: 'telemetry-window'},
    h('option', {value: '1'}, 'Last hour'), h('option', {value: '6'}, 'Last 6 hours'), h('option', {value: '24'}, 'Last 24 hours'),
    h('option', {value: '168'}, 'Last 7 days'));
  windowSelect.value = '6';
  const charts = h('div', {class: 'charts', id: 'charts'}, h('p', {}, 'Loading…'));
  const tripsBox = h('div', {id: 'trips'}, h('p', {}, 'Loading…'));
  const replayBox = h('div', {id: 'replay'});
  const eventsBox = h('div', {id: 'events'}, h('p', {}, 'Loading…'));
  const eventOutcome = outcomeBox('event-outcome');
  const bookingsBox = h('div', {id: 'car-bookings'});
  const section = (title, idName, ...content) => h('section', {class: 'card', 'aria-labelledby': idName}, h('h2', {id: idName}, title), ...content);

  ctx.show(`${car.name} (${car.plate})`,
    h('p', {}, h('a', {href: '#/map'}, 'Fleet map'), ' · ', h('a', {href: '#/bookings'}, 'All bookings')),
    h('div', {class: 'car-top'},
      section('State', 'state-title', facts, h('p', {class: 'muted'}, `Car ${car.id}, device ${car.deviceId}`,
        car.vehicleProfile ? `, ${car.vehicleProfile}` : '', '. Live: changes show as the car reports them.')),
      h('div', {class: 'car-map-wrap'}, mapBox, replayBox)),
    section('Commands', 'commands-title',
      h('p', {class: 'muted'}, 'Each command asks you first, then waits for the car\'s own answer.'),
      h('div', {class: 'toolbar'}, buttons), commandBox),
    section('Recent telemetry', 'telemetry-title', h('div', {class: 'toolbar'}, h('label', {for: 'telemetry-window'}, 'Period'), windowSelect), charts),
    section('Trips', 'trips-title', tripsBox),
    section('Events', 'events-title', eventOutcome, eventsBox),
    section('Bookings', 'bookings-title', bookingsBox),
    section('Installation report', 'installation-title', installation(car.installation)));

  // ---------- the map ----------
  const tiles = ctx.config && ctx.config.tiles;
  let map = null;
  let carMarker = null;
  let tripLayer = null;
  let replayMarker = null;
  if (window.L) {
    map = baseMap(mapBox, tiles);
    map.setView([state.lat ?? 52.52, state.lon ?? 13.405], state.lat !== undefined && state.lat !== null ? 15 : 3);
    cleanups.push(() => map.remove());
  }
  function placeCar() {
    if (!map || state.lat === undefined || state.lat === null) return;
    if (!carMarker) {
      carMarker = L.circleMarker([state.lat, state.lon], {radius: 9, color: '#ffffff', weight: 2, fillColor: '#13306b', fillOpacity: 1,
        className: 'car-marker'}).bindTooltip(car.name).addTo(map);
      if (!tripLayer) map.setView([state.lat, state.lon], 15);
    } else {
      carMarker.setLatLng([state.lat, state.lon]);
    }
  }

  // ---------- state ----------
  function drawState() {
    const yesNo = (v, yes, no) => (v === true ? yes : v === false ? no : 'Not known');
    const energy = state.socPercent !== undefined && state.socPercent !== null
      ? ['Charge', `${fmt(state.socPercent)} %`] : ['Fuel', state.fuelPercent !== undefined && state.fuelPercent !== null ? `${fmt(state.fuelPercent)} %` : 'Not known'];
    const rows = [
      ['online', 'Connection', state.online ? `Online, last seen ${ago(state.lastSeen)}` : `Offline, last seen ${ago(state.lastSeen)}`],
      ['lock', 'Lock', {LOCKED: 'Locked', UNLOCKED: 'Unlocked'}[state.lockState] || 'Not known'],
      ['doors', 'Doors', yesNo(state.doorsOpen, 'Open', 'Closed')],
      ['ignition', 'Ignition', yesNo(state.ignition, 'On', 'Off')],
      ['immobiliser', 'Immobiliser', yesNo(state.immobilised, 'Immobilised: the engine cannot start', 'Mobilised')],
      ['speed', 'Speed', state.speedKmh !== undefined && state.speedKmh !== null ? `${fmt(state.speedKmh)} km/h` : 'Not known'],
      ['energy', ...energy],
      ['voltage', 'Battery', readings.batteryVoltage !== undefined && readings.batteryVoltage !== null ? `${fmt(readings.batteryVoltage, 1)} V` : 'Not known'],
      ['odometer', 'Odometer', state.odometerKm !== undefined && state.odometerKm !== null ? `${fmt(state.odometerKm, 1)} km` : 'Not known'],
      ['position', 'Position', state.lat !== undefined && state.lat !== null ? `${fmt(state.lat, 5)}, ${fmt(state.lon, 5)}` : 'Not known'],
      ['booking', 'Booking now', current ? `${STATES[current.state] || current.state} by user ${current.userId}, ${when(current.start)} to ${when(current.end)}${current.overdue ? ' (overdue)' : ''}` : 'None'],
      ['alerts', 'Open alerts', openAlerts === null ? '–' : String(openAlerts)],
    ];
    facts.replaceChildren(...rows.flatMap(([key, label, value]) => [h('dt', {}, label), h('dd', {id: `state-${key}`}, value)]));
    placeCar();
  }
  drawState();

  async function loadFleetItem() {
    try {
      const view = await expectOk('GET', `${api}/fleet?carId=${enc}&size=1000`);
      const item = view.items.find((c) => c.id === id);
      if (item) {
        current = item.activeBooking || null;
        openAlerts = item.openAlerts;
        if (item.batteryVoltage !== undefined) readings.batteryVoltage = item.batteryVoltage;
      }
    } catch (e) {
      if (e && e.status === 401) throw e;
    }
    drawState();
  }

  // ---------- commands ----------
  async function command(type) {
    const c = COMMANDS[type];
    if (!(await confirmDialog({title: c.title, text: `${car.name} (${car.plate}): ${c.text}`, confirm: c.label, danger: !!c.danger}))) return;
    buttons.forEach((b) => (b.disabled = true));
    say(commandBox, 'info', `${c.label}: waiting for the car's answer…`);
    try {
      const r = await sendCommand(`${api}/cars/${enc}/commands`, type);
      const body = r.json || {};
      const failed = (body.failed || []).map(words);
      if (r.status === 200) {
        say(commandBox, 'ok', `The car answered EXECUTED: ${c.done} (${body.elapsedMs} ms).`);
        if (body.lockState) state = {...state, lockState: body.lockState};
        if (type === 'IMMOBILISE' || type === 'MOBILISE') state = {...state, immobilised: type === 'IMMOBILISE'};
        drawState();
      } else if ((r.status === 409 || r.status === 502) && body.outcome === 'REJECTED') {
        say(commandBox, 'bad', `The car answered REJECTED: it refused to ${c.verb || c.label.toLowerCase()} because `
          + `${failed.length ? failed.join(' and ') : words(body.reason)}.`, failed.length > 1 ? failed : null);
      } else if (r.status === 409 && body.outcome === 'FAILED') {
        say(commandBox, 'bad', `The car answered FAILED: it tried to ${c.verb || c.label.toLowerCase()}, but ${words(body.reason)}.`, failed);
      } else if (r.status === 504) {
        say(commandBox, 'bad', 'No answer: the car did not answer in time, and the command expired unexecuted. Try again.');
      } else if (r.status === 503) {
        say(commandBox, 'bad', `Not sent: ${body.detail || 'the backend could not reach the cars'}. Try again.`);
      } else {
        say(commandBox, 'bad', `Not sent: ${body.detail || body.title || `HTTP ${r.status}`}.`);
      }
    } catch (e) {
      if (e && e.status === 401) return;
      say(commandBox, 'bad', `Not sent: ${e.message}`);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  // ---------- telemetry ----------
  let records = [];
  async function loadTelemetry() {
    const hours = Number(windowSelect.value);
    const from = new Date(Date.now() - hours * 3600000).toISOString();
    try {
      records = await expectOk('GET', `${api}/cars/${enc}/telemetry?from=${encodeURIComponent(from)}&limit=${MAX_RECORDS}`);
    } catch (e) {
      if (e && e.status === 401) throw e;
      charts.replaceChildren(h('p', {class: 'outcome bad'}, `The telemetry could not be loaded: ${e.message}`));
      return;
    }
    const series = (pick) => records.filter((r) => r.time && pick(r) !== undefined && pick(r) !== null)
      .map((r) => ({t: new Date(r.time), v: Number(pick(r))}));
    const sig = (name) => (r) => (r.signals ? r.signals[name] : undefined);
    const soc = series(sig(SOC));
    const voltage = series(sig(VOLTAGE));
    const latest = voltage.length ? voltage[voltage.length - 1].v : undefined;
    if (latest !== undefined && readings.batteryVoltage === undefined) {
      readings.batteryVoltage = latest;
      drawState();
    }
    charts.replaceChildren(
      lineChart('chart-speed', 'Speed, km/h', 'km/h', series((r) => r.speedKmh)),
      soc.length ? lineChart('chart-energy', 'State of charge, %', '%', soc) : lineChart('chart-energy', 'Fuel level, %', '%', series(sig(FUEL))),
      lineChart('chart-voltage', 'Battery voltage, V', 'V', voltage),
      h('details', {class: 'telemetry-table'}, h('summary', {}, `The ${records.length} records as a table`),
        h('div', {class: 'table-wrap'}, h('table', {},
          h('thead', {}, h('tr', {}, ['Time', 'Speed, km/h', soc.length ? 'Charge, %' : 'Fuel, %', 'Battery, V', 'Lock', 'Ignition']
            .map((t) => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, records.slice().reverse().map((r) => h('tr', {},
            h('td', {}, r.time ? when(r.time) : '–'), h('td', {}, fmt(r.speedKmh)),
            h('td', {}, fmt(r.signals ? (soc.length ? r.signals[SOC] : r.signals[FUEL]) : null)),
            h('td', {}, fmt(r.signals ? r.signals[VOLTAGE] : null, 1)), h('td', {}, r.lockState || '–'),
            h('td', {}, r.ignition === true ? 'On' : r.ignition === false ? 'Off' : '–'))))))));
  }
  windowSelect.addEventListener('change', loadTelemetry);

  // ---------- trips and their replay ----------
  let replayTimer = null;
  const stopReplay = () => {
    if (replayTimer) clearInterval(replayTimer);
    replayTimer = null;
  };
  cleanups.push(stopReplay);

  async function loadTrips() {
    let page;
    try {
      page = await expectOk('GET', `${api}/cars/${enc}/trips?limit=20`);
    } catch (e) {
      if (e && e.status === 401) throw e;
      tripsBox.replaceChildren(h('p', {class: 'outcome bad'}, `The trips could not be loaded: ${e.message}`));
      return;
    }
    if (!page.trips.length) {
      tripsBox.replaceChildren(h('p', {}, 'No trips yet.'));
      return;
    }
    tripsBox.replaceChildren(h('div', {class: 'table-wrap'}, h('table', {id: 'trips-table'},
      h('caption', {class: 'muted'}, 'The latest trips, newest first'),
      h('thead', {}, h('tr', {}, ['Start', 'Duration', 'Distance', 'Top speed', 'End', ''].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, page.trips.map((t) => h('tr', {'data-trip': t.id},
        h('td', {}, when(t.startTime)), h('td', {}, duration(t.durationS)),
        h('td', {}, `${fmt(t.distanceSource === 'GPS' ? t.gpsDistanceKm : t.distanceKm ?? t.gpsDistanceKm, 1)} km`),
        h('td', {}, t.maxSpeedKmh !== null && t.maxSpeedKmh !== undefined ? `${fmt(t.maxSpeedKmh)} km/h` : '–'),
        h('td', {}, t.ongoing ? 'Ongoing' : t.endReason === 'GAP' ? 'No data for a while' : 'Parked'),
        h('td', {}, h('button', {type: 'button', class: 'secondary', 'data-trip': t.id, onclick: () => showTrip(t)}, 'Show and replay'))))))));
  }

  async function tripRecords(trip) {
    const from = trip.startTime;
    let to = new Date((trip.endTime ? Date.parse(trip.endTime) : Date.now()) + 1).toISOString();
    let all = [];
    for (let i = 0; i < 10; i++) {
      const page = await expectOk('GET', `${api}/cars/${enc}/telemetry?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=${MAX_RECORDS}`);
      all = page.concat(all);
      if (page.length < MAX_RECORDS || !page[0].time || page[0].time === to) break;
      to = page[0].time;
    }
    return all.filter((r) => r.lat !== null && r.lat !== undefined && r.lon !== null && r.lon !== undefined
      && (r.gnssMode === null || r.gnssMode === undefined || r.gnssMode >= 2));
  }

  async function showTrip(trip) {
    stopReplay();
    let feature;
    let points;
    try {
      [feature, points] = await Promise.all([expectOk('GET', `${api}/cars/${enc}/trips/${encodeURIComponent(trip.id)}`), tripRecords(trip)]);
    } catch (e) {
      if (e && e.status === 401) return;
      replayBox.replaceChildren(h('p', {class: 'outcome bad', role: 'alert'}, `The trip could not be loaded: ${e.message}`));
      return;
    }
    const line = feature.geometry ? feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]) : points.map((r) => [r.lat, r.lon]);
    if (map) {
      if (tripLayer) tripLayer.remove();
      if (replayMarker) replayMarker.remove();
      tripLayer = L.polyline(line.length ? line : [[0, 0]], {color: '#a1140f', weight: 4, className: 'trip-line'}).addTo(map);
      if (line.length) map.fitBounds(tripLayer.getBounds(), {padding: [20, 20], maxZoom: 16});
    }
    const title = `Trip of ${when(trip.startTime)}`;
    if (!points.length) {
      replayBox.replaceChildren(h('div', {class: 'card'}, h('h3', {}, title),
        h('p', {}, line.length ? 'Its path is on the map; the records with times and speeds are no longer kept, so it cannot be replayed.'
          : 'This trip has no positions to show.')));
      return;
    }
    let index = 0;
    const status = h('output', {id: 'replay-status', 'aria-live': 'off'});
    const slider = h('input', {type: 'range', id: 'replay-position', min: '0', max: String(points.length - 1), value: '0', step: '1'});
    const play = h('button', {type: 'button', id: 'replay-play', 'aria-pressed': 'false'}, 'Play');
    const placeReplay = () => {
      const r = points[index];
      status.textContent = `${timeFormat.format(new Date(r.time))} · ${r.speedKmh !== null && r.speedKmh !== undefined ? `${fmt(r.speedKmh)} km/h` : 'speed not known'} · point ${index + 1} of ${points.length}`;
      slider.value = String(index);
      slider.setAttribute('aria-valuetext', status.textContent);
      if (map) {
        if (!replayMarker) {
          replayMarker = L.circleMarker([r.lat, r.lon], {radius: 9, color: '#a1140f', weight: 4, fillColor: '#ffffff', fillOpacity: 1,
            className: 'replay-marker'}).addTo(map);
        } else {
          replayMarker.setLatLng([r.lat, r.lon]);
        }
      }
    };
    const pause = () => {
      stopReplay();
      play.textContent = 'Play';
      play.setAttribute('aria-pressed', 'false');
    };
    play.addEventListener('click', () => {
      if (replayTimer) {
        pause();
        return;
      }
      if (index >= points.length - 1) index = 0;
      play.textContent = 'Pause';
      play.setAttribute('aria-pressed', 'true');
      // the whole trip in about 15 s, at most a point a second
      const every = Math.max(100, Math.min(1000, 15000 / points.length));
      replayTimer = setInterval(() => {
        if (index >= points.length - 1) {
          pause();
          return;
        }
        index += 1;
        placeReplay();
      }, every);
    });
    slider.addEventListener('input', () => {
      index = Number(slider.value);
      placeReplay();
    });
    replayBox.replaceChildren(h('div', {class: 'card replay', 'aria-labelledby': 'replay-title', role: 'group'},
      h('h3', {id: 'replay-title'}, `${title}: replay`),
      h('p', {class: 'muted'}, `${duration(trip.durationS)}, ${points.length} recorded positions; the red line is its path, the ringed dot the car during the replay.`),
      h('div', {class: 'toolbar'}, play, h('label', {for: 'replay-position'}, 'Position'), slider), status));
    placeReplay();
  }

  // ---------- events ----------
  let events = [];
  async function loadEvents() {
    try {
      events = (await expectOk('GET', `${api}/events?carId=${enc}&limit=50`)).events;
    } catch (e) {
      if (e && e.status === 401) throw e;
      eventsBox.replaceChildren(h('p', {class: 'outcome bad'}, `The events could not be loaded: ${e.message}`));
      return;
    }
    drawEvents();
  }
  function drawEvents() {
    if (!events.length) {
      eventsBox.replaceChildren(h('p', {}, 'No events.'));
      return;
    }
    eventsBox.replaceChildren(h('div', {class: 'table-wrap'}, h('table', {id: 'events-table'},
      h('thead', {}, h('tr', {}, ['Time', 'Event', 'Details', 'Alert', ''].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, events.map((ev) => h('tr', {'data-event': ev.id, class: ev.alert && !ev.acknowledgedAt ? 'open-alert' : null},
        h('td', {}, when(ev.at)), h('td', {}, alertInWords(ev.type), ev.source === 'BACKEND' ? h('span', {class: 'muted'}, ' (backend)') : null),
        h('td', {}, Object.entries(ev.details || {}).map(([k, v]) => `${k}: ${v}`).join(', ') || '–'),
        h('td', {}, !ev.alert ? 'No' : ev.acknowledgedAt ? `Acknowledged ${when(ev.acknowledgedAt)} by ${ev.acknowledgedBy}` : 'Open'),
        h('td', {}, ev.alert && !ev.acknowledgedAt
          ? h('button', {type: 'button', class: 'secondary', 'data-ack': ev.id, onclick: () => acknowledge(ev)}, 'Acknowledge') : null)))))));
  }
  async function acknowledge(ev) {
    try {
      const done = await expectOk('POST', `${api}/events/${encodeURIComponent(ev.id)}/ack`);
      events = events.map((e) => (e.id === done.id ? done : e));
      drawEvents();
      if (openAlerts) openAlerts -= 1;
      drawState();
      say(eventOutcome, 'ok', `Acknowledged: ${alertInWords(done.type)} of ${when(done.at)}.`);
    } catch (e) {
      if (e && e.status === 401) return;
      say(eventOutcome, 'bad', `Not acknowledged: ${e.message}`);
    }
  }

  // ---------- live ----------
  const stream = new EventSource(`${api}/fleet/stream?carId=${enc}`);
  const onState = (m) => {
    const data = JSON.parse(m.data);
    if (data.carId !== id) return;
    state = data.state || state;
    if (data.readings && data.readings.batteryVoltage !== undefined && data.readings.batteryVoltage !== null) {
      readings.batteryVoltage = data.readings.batteryVoltage;
    }
    drawState();
  };
  stream.addEventListener('state', onState);
  stream.addEventListener('position', onState);
  stream.addEventListener('event', (m) => {
    const ev = JSON.parse(m.data);
    if (ev.carId !== id || events.some((e) => e.id === ev.id)) return;
    events = [ev, ...events];
    if (ev.alert) openAlerts = (openAlerts || 0) + 1;
    drawEvents();
    drawState();
  });
  stream.addEventListener('reset', async () => {
    try {
      const fresh = await expectOk('GET', `${api}/cars/${enc}`);
      state = fresh.state || state;
      drawState();
    } catch (e) {
      // a 401 shows the sign-in; otherwise the next event brings the state
    }
  });
  cleanups.push(() => stream.close());
  // "last seen … ago" stays true while nothing changes
  const ticker = setInterval(drawState, 15000);
  cleanups.push(() => clearInterval(ticker));

  // ---------- load the rest ----------
  bookingTimeline(bookingsBox, {carId: id, cars: new Map([[id, `${car.name} (${car.plate})`]]), span: 'week'});
  // not awaited: the shell gets the cleanup at once, so leaving while these load still closes the stream
  Promise.all([loadFleetItem(), loadTelemetry(), loadTrips(), loadEvents()]).catch(() => {
    // a 401 has shown the sign-in already; the other failures are shown in their sections
  });
  return cleanup;
}

function installation(report) {
  if (!report) return h('p', {id: 'installation'}, 'No installation report yet: the device sends its self-test when it is fitted.');
  const ok = report.status === 'VERIFIED';
  return h('div', {id: 'installation'},
    h('p', {class: `outcome ${ok ? 'ok' : 'bad'}`}, ok ? `Verified: all ${report.checks} checks passed.`
      : `Checks failed: ${report.failedChecks.length} of ${report.checks}.`),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Installed by'), h('dd', {}, report.installer || '–'),
      h('dt', {}, 'Finished'), h('dd', {}, when(report.finishedAt)),
      h('dt', {}, 'Received'), h('dd', {}, when(report.receivedAt)),
      h('dt', {}, 'Device'), h('dd', {}, report.deviceId),
      h('dt', {}, 'Certificate'), h('dd', {}, report.certificateSerial)),
    report.failedChecks.length ? h('ul', {class: 'reasons'}, report.failedChecks.map((c) =>
      h('li', {}, h('strong', {}, c.name), c.detail ? `: ${c.detail}` : '', c.hint ? ` (${c.hint})` : ''))) : null);
}

export const views = [
  {path: '#/cars', pattern: /^#\/cars\/([^/]+)$/, render: renderCar},
  ...bookingViews,
];

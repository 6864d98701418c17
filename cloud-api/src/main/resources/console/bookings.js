// Bookings as a timeline per car (#/bookings), and the same timeline for one car on its page (car.js uses
// bookingTimeline with its carId). Rows are cars, the axis a chosen day or week, bars coloured by state with the
// state in words; a table lists the same bookings for screen readers and keyboards. A bar opens the booking: who
// (user id), when, its state, and cancel for an operator (with a confirmation step). See docs/console.md.
import {h, api, confirmDialog, expectOk, outcomeBox, say, when} from './common.js';

export const STATES = {
  CONFIRMED: 'Booked',
  ACTIVE: 'In use',
  ENDED: 'Ended',
  CANCELLED: 'Cancelled',
  NO_SHOW: 'No-show',
};
const DAY = 86400000;
const PAGE = 200;



/** Every booking overlapping [from, to) (optionally of one car), through all pages of GET /bookings. */
export async function loadBookings(from, to, carId) {
  const items = [];
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({from: from.toISOString(), to: to.toISOString(), size: String(PAGE), page: String(page)});
    if (carId) query.set('carId', carId);
    const r = await expectOk('GET', `${api}/bookings?${query}`);
    items.push(...r.items);
    if (!r.next || !r.items.length) break;
  }
  return items;
}

/** Midnight (local) of the day of d. */
function startOfDay(d) {
  const x = new Date(d);
  x.setHours(0, 0, 0, 0);
  return x;
}

/** Monday (local) of the week of d. */
function startOfWeek(d) {
  const x = startOfDay(d);
  x.setDate(x.getDate() - ((x.getDay() + 6) % 7));
  return x;
}

function dateInputValue(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const hourFormat = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit'});
const dayFormat = new Intl.DateTimeFormat(undefined, {weekday: 'short', day: 'numeric', month: 'short'});
const tickFormat = new Intl.DateTimeFormat(undefined, {weekday: 'short', day: 'numeric'});

/** A bar's label: the state in words and the borrower's id (short). */
function barText(b) {
  return `${STATES[b.state] || b.state} · ${b.userId}`;
}

function describe(b, carName) {
  return `${carName}: ${STATES[b.state] || b.state}, ${when(b.start)} to ${when(b.end)}, user ${b.userId}`;
}

/**
 * A booking timeline in {@code container}: a toolbar (day or week, date, previous, next), the rows, the legend, a
 * table alternative and the selected booking. {@code carId}: only that car's bookings (its page); {@code cars}:
 * names by id (others are shown by id). Returns a function that redraws it.
 */
export function bookingTimeline(container, {carId = null, cars = new Map(), span = 'week', allCars = false} = {}) {
  let day = new Date();
  let current = span;
  const outcome = outcomeBox(carId ? 'timeline-outcome' : 'outcome');
  const spanSelect = h('select', {id: 'tl-span'}, h('option', {value: 'day'}, 'Day'), h('option', {value: 'week'}, 'Week'));
  spanSelect.value = current;
  const dateInput = h('input', {type: 'date', id: 'tl-date', value: dateInputValue(day)});
  const prev = h('button', {type: 'button', class: 'secondary', id: 'tl-prev'}, 'Previous');
  const next = h('button', {type: 'button', class: 'secondary', id: 'tl-next'}, 'Next');
  const today = h('button', {type: 'button', class: 'secondary', id: 'tl-today'}, 'Today');
  const range = h('p', {class: 'muted', id: 'tl-range', 'aria-live': 'polite'});
  const board = h('div', {class: 'timeline', id: 'timeline'});
  const table = h('div', {class: 'table-wrap'});
  const detail = h('div', {id: 'booking-detail', tabindex: '-1'});
  container.replaceChildren(
    h('div', {class: 'toolbar'},
      h('label', {for: 'tl-span'}, 'Show'), spanSelect,
      h('label', {for: 'tl-date'}, 'From the day'), dateInput, prev, today, next),
    range, outcome, board, legend(),
    h('details', {class: 'card'}, h('summary', {}, 'The same bookings as a table'), table),
    detail);

  const step = () => (current === 'day' ? DAY : 7 * DAY);
  const windowOf = () => {
    const from = current === 'day' ? startOfDay(day) : startOfWeek(day);
    const to = new Date(from);
    to.setDate(to.getDate() + (current === 'day' ? 1 : 7));
    return [from, to];
  };

  async function draw() {
    const [from, to] = windowOf();
    range.textContent = current === 'day' ? `${dayFormat.format(from)}` : `${dayFormat.format(from)} to ${dayFormat.format(new Date(to - 1))}`;
    let bookings;
    try {
      bookings = await loadBookings(from, to, carId);
    } catch (e) {
      if (e && e.status === 401) return;
      say(outcome, 'bad', `The bookings could not be loaded: ${e.message}`);
      return;
    }
    const rows = new Map();
    if (carId) rows.set(carId, []);
    if (allCars) for (const id of cars.keys()) rows.set(id, []);
    for (const b of bookings) {
      if (!rows.has(b.carId)) rows.set(b.carId, []);
      rows.get(b.carId).push(b);
    }
    board.replaceChildren(axis(from, to), ...[...rows.keys()].sort().map((id) => row(id, rows.get(id), from, to)));
    board.setAttribute('data-bookings', String(bookings.length));
    if (!bookings.length) board.append(h('p', {class: 'muted'}, 'No booking in this period.'));
    table.replaceChildren(bookingTable(bookings));
  }

  function name(id) {
    return cars.get(id) || id;
  }

  function row(id, list, from, to) {
    const track = h('div', {class: 'track'});
    const total = to - from;
    const now = Date.now();
    if (now >= from && now < to) {
      const line = h('span', {class: 'now', 'aria-hidden': 'true'});
      line.style.left = `${((now - from) / total) * 100}%`;
      track.append(line);
    }
    for (const b of list.sort((x, y) => Date.parse(x.start) - Date.parse(y.start))) {
      const start = Math.max(Date.parse(b.start), +from);
      // an ended rental is drawn to its real end; an overdue one to now; anything else over its booked window
      let endAt = b.endedAt ? Date.parse(b.endedAt) : Date.parse(b.end);
      if (b.state === 'ACTIVE' && b.overdue) endAt = Math.max(endAt, now);
      const end = Math.min(Math.max(endAt, start), +to);
      const bar = h('button', {type: 'button', class: `tl-bar state-${b.state}`, 'data-booking': b.id, 'data-state': b.state,
        'aria-label': describe(b, name(id)), title: describe(b, name(id)), onclick: () => select(b)}, barText(b));
      bar.style.left = `${((start - from) / total) * 100}%`;
      bar.style.width = `${Math.max(((end - start) / total) * 100, 0.8)}%`;
      track.append(bar);
    }
    const label = carId ? h('span', {class: 'row-label'}, name(id))
      : h('a', {class: 'row-label', href: `#/cars/${encodeURIComponent(id)}`}, name(id));
    return h('div', {class: 'tl-row'}, label, track);
  }

  function axis(from, to) {
    const ticks = h('div', {class: 'track axis', 'aria-hidden': 'true'});
    const total = to - from;
    const every = current === 'day' ? 3 * 3600000 : DAY;
    for (let t = +from; t < +to; t += every) {
      const tick = h('span', {class: 'tick'}, current === 'day' ? hourFormat.format(new Date(t)) : tickFormat.format(new Date(t)));
      tick.style.left = `${((t - from) / total) * 100}%`;
      ticks.append(tick);
    }
    return h('div', {class: 'tl-row tl-axis'}, h('span', {class: 'row-label'}, 'Car'), ticks);
  }

  function bookingTable(bookings) {
    if (!bookings.length) return h('p', {}, 'No booking in this period.');
    return h('table', {id: 'bookings-table'},
      h('caption', {}, `Bookings, ${range.textContent}`),
      h('thead', {}, h('tr', {}, ['Car', 'User', 'From', 'To', 'State', ''].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, bookings.map((b) => h('tr', {'data-booking': b.id},
        h('td', {}, name(b.carId)), h('td', {}, b.userId), h('td', {}, when(b.start)), h('td', {}, when(b.end)),
        h('td', {}, STATES[b.state] || b.state),
        h('td', {}, h('button', {type: 'button', class: 'secondary', onclick: () => select(b)}, 'Open'))))));
  }

  function select(b) {
    const facts = [
      ['Booking', b.id], ['Car', name(b.carId)], ['User id', b.userId], ['From', when(b.start)], ['To', when(b.end)],
      ['State', STATES[b.state] || b.state], ['Kind', b.kind === 'IMMEDIATE' ? 'Reserved for now' : 'Scheduled'],
      b.holdUntil && ['Held until', when(b.holdUntil)], b.startedAt && ['Started', when(b.startedAt)],
      b.endedAt && ['Ended', when(b.endedAt)], b.cancelledAt && ['Cancelled', `${when(b.cancelledAt)} by ${b.cancelledBy}`],
      b.lapsedAt && ['Lapsed', when(b.lapsedAt)], b.overdue && ['Overdue', 'the rental ran past its end'],
    ].filter(Boolean);
    const box = outcomeBox('booking-outcome');
    const cancel = (b.state === 'CONFIRMED' || b.state === 'ACTIVE')
      ? h('button', {type: 'button', class: 'danger', id: 'cancel-booking', onclick: () => cancelBooking(b, box)}, 'Cancel booking') : null;
    detail.replaceChildren(h('section', {class: 'card', 'aria-labelledby': 'booking-detail-title'},
      h('h2', {id: 'booking-detail-title'}, `Booking of ${name(b.carId)}`),
      h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      cancel, box));
    detail.focus();
  }

  async function cancelBooking(b, box) {
    const active = b.state === 'ACTIVE';
    const ok = await confirmDialog({title: 'Cancel this booking?',
      text: active ? `The rental of ${name(b.carId)} by user ${b.userId} is in progress: cancelling ends it now. The borrower is told by e-mail.`
        : `The booking of ${name(b.carId)} by user ${b.userId} (${when(b.start)} to ${when(b.end)}) is cancelled and the borrower told by e-mail.`,
      confirm: 'Cancel booking', danger: true});
    if (!ok) return;
    try {
      const updated = await expectOk('POST', `${api}/bookings/${encodeURIComponent(b.id)}/cancel`);
      await draw();
      select(updated);
      say(document.getElementById('booking-outcome'), 'ok', 'The booking is cancelled.');
    } catch (e) {
      if (e && e.status === 401) return;
      say(box, 'bad', `Not cancelled: ${e.message}`);
    }
  }

  spanSelect.addEventListener('change', () => {
    current = spanSelect.value;
    draw();
  });
  dateInput.addEventListener('change', () => {
    if (dateInput.value) {
      const [y, m, d] = dateInput.value.split('-').map(Number);
      day = new Date(y, m - 1, d);
      draw();
    }
  });
  const move = (n) => {
    day = new Date(+day + n * step());
    dateInput.value = dateInputValue(day);
    draw();
  };
  prev.addEventListener('click', () => move(-1));
  next.addEventListener('click', () => move(1));
  today.addEventListener('click', () => {
    day = new Date();
    dateInput.value = dateInputValue(day);
    draw();
  });
  draw();
  return draw;
}

function legend() {
  return h('ul', {class: 'legend', 'aria-label': 'Booking states'},
    Object.entries(STATES).map(([state, text]) => h('li', {}, h('span', {class: `swatch state-${state}`, 'aria-hidden': 'true'}), text)));
}

async function renderBookings({show}) {
  const container = h('div', {});
  show('Bookings', h('p', {class: 'muted'}, 'Each row is a car; each bar a booking, coloured by its state. Choose a bar (or a row of the table) to see the booking.'), container);
  let cars = new Map();
  try {
    cars = new Map((await expectOk('GET', `${api}/cars`)).map((c) => [c.id, `${c.name} (${c.plate})`]));
  } catch (e) {
    if (e && e.status === 401) throw e;
  }
  bookingTimeline(container, {cars, span: 'day'});
}

export const views = [
  {path: '#/bookings', nav: 'Bookings', roles: ['operator', 'tenant-admin'], render: renderBookings},
];

// The fleet map's one canvas layer: every car drawn on a single <canvas> (no DOM element per car, so 5,000 cars stay
// fluid), grouped by a grid of CELL px per zoom into count bubbles, redrawn at most once per animation frame however
// many positions arrive. Cars are held as plain objects; a car's projected position (Web Mercator, Leaflet's default
// CRS, at zoom 0) is recomputed only when its position changes. See docs/console.md "Fleet map and list".

/** The states a car is shown in, most urgent first: how each is drawn and named (colour AND shape, never colour alone). */
export const STATES = [
  {key: 'alert', label: 'Alert', shape: 'diamond', colour: '#c0170f'},
  {key: 'offline', label: 'Offline', shape: 'ring', colour: '#5f6b7a'},
  {key: 'in-use', label: 'In use', shape: 'triangle', colour: '#6b2fa3'},
  {key: 'booked', label: 'Booked', shape: 'square', colour: '#1d4fb0'},
  {key: 'available', label: 'Available', shape: 'circle', colour: '#1e7d34'},
];
export const STATE = Object.fromEntries(STATES.map((s) => [s.key, s]));

/** A car's state from its fleet fields (FleetView.FleetCar): open alerts, then offline, then its booking covering now. */
export function stateOf(car) {
  if (car.openAlerts > 0) return 'alert';
  if (!car.online) return 'offline';
  if (car.activeBooking && car.activeBooking.state === 'ACTIVE') return 'in-use';
  if (car.activeBooking) return 'booked';
  return 'available';
}

const CELL = 64; // px: cars closer than a grid cell at the current zoom share a bubble
const RADIUS = 8; // px: a single car's marker
const TILE = 256;
const MAX_LAT = 85.0511287798;

/** Web Mercator at zoom 0 (0..256), as Leaflet's EPSG3857 projects. */
function project(lat, lon) {
  const phi = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180;
  return [TILE * (lon + 180) / 360, TILE * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI))];
}

/** The layer; `cars` is the view's Map of id → car ({id, lat, lon, state, ...}); onPick(item, latLng) on a click or Enter. */
export function fleetLayer(L, cars, onPick) {
  let map = null;
  let canvas = null;
  let frame = 0;
  let drawn = []; // [{x, y, cars: [car], r}] of the last paint, in container pixels
  const stats = {paints: 0, lastDrawMs: 0, drawMs: [], firstPaintMarked: false};

  function schedule() {
    if (!frame && map) frame = requestAnimationFrame(paint);
  }

  function placed(car) {
    if (car.lat === null || car.lat === undefined || car.lon === null || car.lon === undefined) return false;
    if (car.projectedFor !== `${car.lat},${car.lon}`) {
      [car.px, car.py] = project(car.lat, car.lon);
      car.projectedFor = `${car.lat},${car.lon}`;
    }
    return true;
  }

  function paint() {
    frame = 0;
    if (!map) return;
    const t0 = performance.now();
    const size = map.getSize();
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size.x * ratio) || canvas.height !== Math.round(size.y * ratio)) {
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
    }
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    const scale = Math.pow(2, map.getZoom());
    const origin = map.getPixelBounds().min;
    const cells = new Map();
    for (const car of cars.values()) {
      if (!placed(car)) continue;
      const wx = car.px * scale;
      const wy = car.py * scale;
      const x = wx - origin.x;
      const y = wy - origin.y;
      if (x < -CELL || y < -CELL || x > size.x + CELL || y > size.y + CELL) continue;
      const key = Math.floor(wx / CELL) * 67108864 + Math.floor(wy / CELL);
      const cell = cells.get(key);
      if (cell) {
        cell.cars.push(car);
        cell.sx += x;
        cell.sy += y;
      } else {
        cells.set(key, {cars: [car], sx: x, sy: y});
      }
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    drawn = [];
    const singles = [];
    for (const cell of cells.values()) {
      const n = cell.cars.length;
      const item = {x: cell.sx / n, y: cell.sy / n, cars: cell.cars, r: n === 1 ? RADIUS + 2 : bubbleRadius(n)};
      drawn.push(item);
      if (n === 1) singles.push(item);
      else bubble(ctx, item);
    }
    // the most urgent drawn last, on top
    const rank = Object.fromEntries(STATES.map((s, i) => [s.key, i]));
    singles.sort((a, b) => rank[b.cars[0].state] - rank[a.cars[0].state]);
    for (const item of singles) marker(ctx, item.x, item.y, STATE[item.cars[0].state]);
    stats.paints++;
    stats.lastDrawMs = performance.now() - t0;
    stats.drawMs.push(stats.lastDrawMs);
    if (stats.drawMs.length > 1200) stats.drawMs.splice(0, stats.drawMs.length - 1200);
    if (!stats.firstPaintMarked && cars.size > 0) {
      stats.firstPaintMarked = true;
      performance.mark('lk-map-first-paint');
    }
  }

  function bubbleRadius(n) {
    return Math.min(28, 12 + 3 * Math.log2(n));
  }

  function bubble(ctx, item) {
    const alerts = item.cars.some((c) => c.state === 'alert');
    ctx.beginPath();
    ctx.arc(item.x, item.y, item.r, 0, 2 * Math.PI);
    ctx.fillStyle = '#13306b';
    ctx.fill();
    ctx.lineWidth = alerts ? 4 : 2;
    ctx.strokeStyle = alerts ? '#c0170f' : '#ffffff';
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(String(item.cars.length), item.x, item.y + 0.5);
  }

  function marker(ctx, x, y, state) {
    const r = RADIUS;
    ctx.beginPath();
    switch (state.shape) {
      case 'diamond':
        ctx.moveTo(x, y - r - 2); ctx.lineTo(x + r + 2, y); ctx.lineTo(x, y + r + 2); ctx.lineTo(x - r - 2, y); ctx.closePath();
        break;
      case 'triangle':
        ctx.moveTo(x, y - r - 1); ctx.lineTo(x + r + 1, y + r - 1); ctx.lineTo(x - r - 1, y + r - 1); ctx.closePath();
        break;
      case 'square':
        ctx.rect(x - r + 1, y - r + 1, 2 * r - 2, 2 * r - 2);
        break;
      default:
        ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    if (state.shape === 'ring') {
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = state.colour;
      ctx.stroke();
      return;
    }
    ctx.fillStyle = state.colour;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    if (state.shape === 'diamond') {
      ctx.fillStyle = '#ffffff';
      ctx.font = '700 11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('!', x, y + 0.5);
    }
  }

  /** The drawn item (a car or a bubble) at a container point, the nearest within its radius, or null. */
  function itemAt(point, slack = 4) {
    let best = null;
    let bestD = Infinity;
    for (const item of drawn) {
      const d = Math.hypot(item.x - point.x, item.y - point.y);
      if (d <= item.r + slack && d < bestD) {
        best = item;
        bestD = d;
      }
    }
    return best;
  }

  /** The drawn item nearest to the map's centre (for the keyboard: Enter on the focused map). */
  function nearestToCentre() {
    const c = map.getSize().divideBy(2);
    let best = null;
    let bestD = Infinity;
    for (const item of drawn) {
      const d = Math.hypot(item.x - c.x, item.y - c.y);
      if (d < bestD) {
        best = item;
        bestD = d;
      }
    }
    return best;
  }

  const Layer = L.Layer.extend({
    onAdd(m) {
      map = m;
      canvas = L.DomUtil.create('canvas', 'lk-fleet-canvas leaflet-zoom-hide');
      canvas.setAttribute('aria-hidden', 'true');
      m.getPanes().overlayPane.appendChild(canvas);
      m.on('move zoom viewreset resize', schedule);
      m.on('click', click);
      m.getContainer().addEventListener('keydown', key);
      schedule();
    },
    onRemove(m) {
      m.off('move zoom viewreset resize', schedule);
      m.off('click', click);
      m.getContainer().removeEventListener('keydown', key);
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      canvas.remove();
      map = null;
    },
  });

  function click(e) {
    const item = itemAt(e.containerPoint);
    if (item) onPick(item, map.containerPointToLatLng([item.x, item.y]));
  }

  function key(e) {
    if (e.key !== 'Enter' || e.target !== map.getContainer()) return;
    const item = nearestToCentre();
    if (item) {
      e.preventDefault();
      onPick(item, map.containerPointToLatLng([item.x, item.y]));
    }
  }

  const layer = new Layer();
  layer.redraw = schedule;
  /** Read-only data for tests and measurements: what the last paint drew. */
  layer.snapshot = () => ({
    zoom: map ? map.getZoom() : null,
    paints: stats.paints,
    lastDrawMs: stats.lastDrawMs,
    drawMs: stats.drawMs.slice(),
    markers: drawn.filter((d) => d.cars.length === 1).map((d) => ({id: d.cars[0].id, state: d.cars[0].state, x: d.x, y: d.y})),
    clusters: drawn.filter((d) => d.cars.length > 1).map((d) => ({count: d.cars.length, x: d.x, y: d.y})),
  });
  return layer;
}

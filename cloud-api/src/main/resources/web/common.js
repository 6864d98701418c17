// Latchkey web apps: what the borrower app and the operator console share (served to each as common.js).
// No library, no markup from data (text nodes only), no token anywhere in script: the session cookie is HttpOnly
// and every state-changing call carries the session's X-CSRF-Token. See docs/app.md and docs/console.md.

/** The tenant of the page (the path is /t/{tenant}/...) and its API prefix. */
export const tenant = decodeURIComponent(location.pathname.split('/')[2] || '');
export const api = `/t/${encodeURIComponent(tenant)}`;

/** An element with attributes ('on…' become listeners, true an empty attribute) and children (nodes or text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A live region for an outcome, and how to fill it ('ok', 'bad', 'info'), with an optional list of reasons. */
export function outcomeBox(id = 'outcome') {
  return h('div', {class: 'outcome', role: 'status', 'aria-live': 'polite', id});
}
export function say(box, kind, text, list) {
  box.className = `outcome ${kind}`;
  box.replaceChildren(h('span', {}, text));
  if (list && list.length) box.append(h('ul', {class: 'reasons'}, list.map((r) => h('li', {}, r))));
}

/**
 * Asks before an action that changes something: a modal dialog (focus moves into it, on Cancel; Escape cancels; focus
 * returns where it was). Resolves true only for the confirming button. `text` is a string or a list of paragraphs.
 */
export function confirmDialog({title, text, confirm, danger = false}) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const no = h('button', {type: 'button', class: 'secondary', id: 'confirm-no'}, 'Cancel');
    const yes = h('button', {type: 'button', class: danger ? 'danger' : null, id: 'confirm-yes'}, confirm);
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text'},
      h('h2', {id: 'confirm-title'}, title),
      h('div', {id: 'confirm-text'}, [].concat(text).map((t) => h('p', {}, t))),
      h('div', {class: 'actions'}, no, yes));
    let answer = false;
    no.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (before && before.focus) before.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/**
 * A Leaflet map in `container` with the configured tiles (their attribution shown, Leaflet's own prefix left out), or
 * on a plain background when there are none (`tiles` null: nothing is fetched from anywhere). Needs window.L.
 */
export function baseMap(container, tiles, options = {}) {
  const map = L.map(container, {...options, attributionControl: !!tiles});
  if (tiles) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: options.maxZoom || 19}).addTo(map);
  }
  return map;
}

// ---------- time and numbers ----------
const dateTime = new Intl.DateTimeFormat(undefined, {weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'});
export const when = (iso) => (iso ? dateTime.format(new Date(iso)) : '–');
export function duration(seconds) {
  const minutes = Math.round(seconds / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}
export function ago(iso) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return when(iso);
}

// ---------- the API ----------
export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title || body.error_description)) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

let session = null; // {userId, roles, clientId, csrfToken, expiresAt}
let onSessionEnded = () => {};

/** The browser session of this tenant (GET /session), or null when there is none; throws when offline. */
export async function loadSession() {
  const r = await fetch(`${api}/session`, {credentials: 'same-origin', cache: 'no-store', headers: {Accept: 'application/json'}});
  session = r.status === 200 ? await r.json() : null;
  return session;
}
export const currentSession = () => session;
export const hasRole = (...roles) => !!session && roles.some((r) => session.roles.includes(r));

/** What to do when a call answers 401 with a session: the session ended on the server (expiry, lock, sign-out). */
export function whenSessionEnds(handler) {
  onSessionEnded = handler;
}

/** A call to this origin's API: {status, json}; the CSRF token on every state-changing call. */
export async function call(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrfToken;
  const response = await fetch(path, {method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (response.status === 401 && session) {
    session = null;
    onSessionEnded('Your session has ended. Sign in again.');
    throw new ApiError(401, json);
  }
  return {status: response.status, json};
}

/**
 * Sends a car command (POST .../commands) with an id of its own: when the connection closes without any answer (a
 * replica died under the request and the balancer closed the reused connection, docs/api.md "Lost answers"), the
 * same request goes once more with the same id, which answers the recorded outcome or sends the command again; the
 * car acts on an id at most once.
 */
export async function sendCommand(path, type) {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    return await call('POST', path, {type, id});
  } catch (e) {
    if (e instanceof ApiError) throw e;
    return call('POST', path, {type, id});
  }
}

/** A call that must answer one of the statuses given (default 200, 201, 204): its JSON, or an ApiError. */
export async function expectOk(method, path, body, ...ok) {
  const r = await call(method, path, body);
  if (!(ok.length ? ok : [200, 201, 204]).includes(r.status)) throw new ApiError(r.status, r.json);
  return r.json;
}

/** Ends the session on the server (POST /session/logout), whatever the answer. */
export async function signOut() {
  try {
    await call('POST', `${api}/session/logout`);
  } catch (e) {
    // the session is gone either way
  }
  session = null;
}

/** The server's settings for the apps (map tiles or none), from the app's config.json. */
export async function loadConfig() {
  try {
    return await (await fetch('config.json', {cache: 'no-store'})).json();
  } catch (e) {
    return {};
  }
}

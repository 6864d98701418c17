// Latchkey borrower app: the phone key (docs/offline-keys.md, docs/app.md "Phone key").
// A P-256 key pair made by WebCrypto with a non-extractable private half, kept in IndexedDB as the CryptoKey objects
// themselves (the browser stores them; no script can read the private bytes), the tenant-signed credential the backend
// issued for its public half, and the tenant's newest signed revocation list: all that is needed to open the car with
// no network. Presents it as a QR code (§4, one-way) and over Web Bluetooth (§3, challenge-response).

import {api, call, h, outcomeBox, say, tenant, when} from './common.js';
import qrcodegen from './qrcodegen.js';

const DB_NAME = 'lk-app-keys';
const KEYS = 'keys'; // one record per booking: {bookingId, privateKey, publicKey, publicRaw, envelope, credential, counter}
const LISTS = 'lists'; // the tenant's newest revocation list: {tenant, envelope, serial}
const ECDSA = {name: 'ECDSA', namedCurve: 'P-256'};
const SIGN = {name: 'ECDSA', hash: 'SHA-256'};

export const SERVICE = '6c6b0001-7a3c-4e0f-9a55-4c4154434b31';
export const REQUEST_CHARACTERISTIC = '6c6b0002-7a3c-4e0f-9a55-4c4154434b31';
export const RESULT_CHARACTERISTIC = '6c6b0003-7a3c-4e0f-9a55-4c4154434b31';
export const MAX_MESSAGE = 4096;
const CHUNK = 180; // one GATT write: fits an ATT MTU of 185
const ANSWER_TIMEOUT_MS = 10000;
export const QR_EVERY_MS = 5000;

// ---------- encodings ----------
const utf8 = new TextEncoder();
export function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
export function fromB64url(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
/** The signed text of §3/§4: fields joined by \n, none holding a line break. */
function lines(...fields) {
  for (const f of fields) if (typeof f !== 'string' || /[\r\n]/.test(f)) throw new Error('a signed field is missing or holds a line break');
  return utf8.encode(fields.join('\n'));
}
/** An instant as Java's Instant.toString() writes it (whole seconds: no fraction), which the car re-encodes to check. */
export const isoSeconds = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

// ---------- the store ----------
let opened = null;
function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(KEYS, {keyPath: 'bookingId'});
      request.result.createObjectStore(LISTS, {keyPath: 'tenant'});
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => { opened = null; reject(request.error); };
  });
  return opened;
}
async function tx(store, mode, work) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(store, mode);
    let result;
    Promise.resolve(work(t.objectStore(store), (r) => { result = r; })).catch(reject);
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('aborted'));
  });
}
const get = (store, key) => tx(store, 'readonly', (s, done) => { const r = s.get(key); r.onsuccess = () => done(r.result); });
const put = (store, value) => tx(store, 'readwrite', (s) => { s.put(value); });

/** The key kept for a booking, or null. */
export const storedKey = (bookingId) => get(KEYS, bookingId).then((k) => k || null);
/** The newest revocation list kept for this tenant, or null. */
export const storedRevocations = () => get(LISTS, tenant).then((l) => l || null);
/** Forgets one booking's key (the rental ended), or all keys and lists (sign-out). */
export async function forget(bookingId) {
  await tx(KEYS, 'readwrite', (s) => { if (bookingId) s.delete(bookingId); else s.clear(); });
  if (!bookingId) await tx(LISTS, 'readwrite', (s) => { s.clear(); });
}

/** The credential's contents (the document, read, not verified: the car verifies). */
function contents(envelope) {
  return JSON.parse(new TextDecoder().decode(fromB64url(envelope.document)));
}

// ---------- getting and refreshing a key ----------
export class KeyError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback || `Error ${status}`);
    this.status = status;
  }
}

/** Whether a credential should be asked again: in the last half of its life, and the booking goes on after it. */
export function wantsRefresh(key, booking, now = Date.now()) {
  const c = key.credential;
  const issued = Date.parse(c.issuedAt);
  const until = Date.parse(c.notAfter);
  return until < Date.parse(booking.end) && now >= issued + (until - issued) / 2;
}

/**
 * The booking's key: makes the key pair the first time (private half non-extractable), asks the backend for a
 * credential for it (POST /bookings/{id}/keys), and keeps both. With {@code refresh}, asks for a new credential for
 * the same key pair. Returns the stored record.
 */
export async function obtain(bookingId, {refresh = false} = {}) {
  let key = await storedKey(bookingId);
  if (key && !refresh) return key;
  if (!key) {
    const pair = await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']);
    const raw = await crypto.subtle.exportKey('raw', pair.publicKey); // 65 bytes 0x04||X||Y, as HolderKeys decodes
    key = {bookingId, privateKey: pair.privateKey, publicKey: pair.publicKey, publicRaw: b64url(raw), envelope: null, credential: null, counter: 0};
  }
  const r = await call('POST', `${api}/bookings/${encodeURIComponent(bookingId)}/keys`, {publicKey: key.publicRaw});
  if (r.status !== 201) throw new KeyError(r.status, r.json, 'No key was issued.');
  const credential = contents(r.json);
  if (credential.holder.publicKey !== key.publicRaw) throw new KeyError(0, null, 'The key issued is not for this phone.');
  await tx(KEYS, 'readwrite', (s) => {
    const read = s.get(bookingId);
    read.onsuccess = () => {
      const kept = read.result;
      // a new credential has a new key id: its QR counter starts again; the key pair stays what it was
      s.put({...key, ...(kept ? {privateKey: kept.privateKey, publicKey: kept.publicKey, publicRaw: kept.publicRaw} : {}),
        envelope: r.json, credential, counter: 0});
    };
  });
  return storedKey(bookingId);
}

/** Fetches the tenant's newest revocation list (GET /keys/revocations) and keeps it if its serial is higher. */
export async function refreshRevocations() {
  const r = await call('GET', `${api}/keys/revocations`);
  if (r.status !== 200) throw new KeyError(r.status, r.json, 'The revocation list could not be read.');
  const serial = contents(r.json).serial;
  const kept = await storedRevocations();
  if (!kept || serial > kept.serial) await put(LISTS, {tenant, envelope: r.json, serial});
  return storedRevocations();
}

/** Whether this phone's key is in the list it carries (a revoked key is not presented). */
export async function revokedHere(key) {
  const list = await storedRevocations();
  if (!list) return false;
  return contents(list.envelope).entries.some((e) => e.keyId === key.credential.keyId);
}

// ---------- QR (§4) ----------
/** Takes the key's next counter, persisted before it is used: a counter is never shown twice. */
async function nextCounter(bookingId) {
  return tx(KEYS, 'readwrite', (s, done) => {
    const read = s.get(bookingId);
    read.onsuccess = () => {
      const k = read.result;
      if (!k) throw new Error('no key');
      k.counter += 1;
      s.put(k);
      done(k.counter);
    };
  });
}

/** The QR text of a fresh presentation: LK1. and base64url of {credential, presentation}. */
export async function qrText(key, action, now = Date.now()) {
  const c = key.credential;
  const counter = await nextCounter(key.bookingId);
  const time = isoSeconds(now);
  const signature = await crypto.subtle.sign(SIGN, key.privateKey,
    lines('latchkey/qr-presentation/v1', c.tenant, c.deviceId, c.keyId, action, String(counter), time));
  const payload = {credential: key.envelope, presentation: {action, counter, time, signature: b64url(signature)}};
  return {text: 'LK1.' + b64url(utf8.encode(JSON.stringify(payload))), counter, time};
}

/** Draws {@code text} as a QR code (byte mode, ECC level L) on {@code canvas}, 4 modules of quiet zone. */
export function drawQr(canvas, text) {
  const qr = qrcodegen.QrCode.encodeSegments([qrcodegen.QrSegment.makeBytes(Array.from(utf8.encode(text)))],
    qrcodegen.QrCode.Ecc.LOW, 1, 40, -1, false);
  const border = 4;
  const scale = 4;
  const size = (qr.size + border * 2) * scale;
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, size, size);
  g.fillStyle = '#000000';
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (qr.getModule(x, y)) g.fillRect((x + border) * scale, (y + border) * scale, scale, scale);
    }
  }
  return qr.size;
}

// ---------- BLE (§3) ----------
/** The car's advertised name: LK and the first 8 hex digits of SHA-256(tenant "/" deviceId). */
export async function localName(c) {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(`${c.tenant}/${c.deviceId}`)));
  return 'LK' + [...hash.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** 'yes', 'no-api' (this browser has no Web Bluetooth) or 'no-adapter' (it has, but no Bluetooth is available). */
export async function bleSupport(bluetooth = navigator.bluetooth) {
  if (!bluetooth || typeof bluetooth.requestDevice !== 'function') return 'no-api';
  try {
    if (typeof bluetooth.getAvailability === 'function' && !(await bluetooth.getAvailability())) return 'no-adapter';
  } catch (e) {
    return 'no-adapter';
  }
  return 'yes';
}

/** Frames: a message preceded by its length as 2 bytes, big-endian (hal.key.KeyFrames). */
export function frame(message) {
  const body = utf8.encode(JSON.stringify(message));
  if (body.length === 0 || body.length > MAX_MESSAGE) throw new Error('a key message must be 1 to 4096 bytes');
  const out = new Uint8Array(body.length + 2);
  out[0] = body.length >> 8;
  out[1] = body.length & 0xff;
  out.set(body, 2);
  return out;
}

/** Reassembles the car's notifications into messages (they may split or join frames). */
export class FrameReader {
  constructor() {
    this.buffer = new Uint8Array(0);
  }
  feed(chunk) {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    const messages = [];
    while (this.buffer.length >= 2) {
      const length = (this.buffer[0] << 8) | this.buffer[1];
      if (length === 0 || length > MAX_MESSAGE) throw new Error('the car sent a malformed frame');
      if (this.buffer.length < 2 + length) break;
      messages.push(JSON.parse(new TextDecoder().decode(this.buffer.slice(2, 2 + length))));
      this.buffer = this.buffer.slice(2 + length);
    }
    return messages;
  }
}

async function carKey(c) {
  return crypto.subtle.importKey('spki', fromB64url(c.devicePublicKey), ECDSA, false, ['verify']);
}

/**
 * One action over BLE: finds the car of the credential, says hello (with the revocation list the phone carries),
 * signs the car's challenge with the action, and checks the car's signed result (device key of the credential, this
 * challenge's nonce and counter). Resolves {outcome, reason, lockState, verified}; throws on no car or no answer.
 */
export async function presentBle(key, action, bluetooth = navigator.bluetooth) {
  const c = key.credential;
  const name = await localName(c);
  const device = await bluetooth.requestDevice({filters: [{name}], optionalServices: [SERVICE]});
  const server = await device.gatt.connect();
  try {
    const service = await server.getPrimaryService(SERVICE);
    const request = await service.getCharacteristic(REQUEST_CHARACTERISTIC);
    const result = await service.getCharacteristic(RESULT_CHARACTERISTIC);
    const reader = new FrameReader();
    const inbox = [];
    let waiting = null;
    const onValue = (event) => {
      const v = event.target.value;
      try {
        for (const m of reader.feed(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))) inbox.push(m);
      } catch (e) {
        inbox.push({t: 'broken', error: e.message});
      }
      if (waiting && inbox.length) waiting();
    };
    result.addEventListener('characteristicvaluechanged', onValue);
    await result.startNotifications();
    const next = () => new Promise((resolve, reject) => {
      const take = () => { waiting = null; clearTimeout(timer); resolve(inbox.shift()); };
      const timer = setTimeout(() => { waiting = null; reject(new Error('The car did not answer.')); }, ANSWER_TIMEOUT_MS);
      if (inbox.length) take();
      else waiting = take;
    });
    const send = async (message) => {
      const bytes = frame(message);
      for (let i = 0; i < bytes.length; i += CHUNK) await request.writeValueWithResponse(bytes.slice(i, i + CHUNK));
    };
    const list = await storedRevocations();
    await send({t: 'hello', credential: key.envelope, revocations: list ? list.envelope : null});
    const challenge = await next();
    if (challenge.t === 'result') return {outcome: challenge.outcome, reason: challenge.reason, lockState: challenge.lockState, verified: false};
    if (challenge.t !== 'challenge') throw new Error('The car answered something this app does not understand.');
    const signature = await crypto.subtle.sign(SIGN, key.privateKey, lines('latchkey/ble-request/v1', c.tenant, c.deviceId, c.keyId,
      action, challenge.nonce, String(challenge.counter), challenge.epoch));
    await send({t: 'request', action, nonce: challenge.nonce, counter: challenge.counter, signature: b64url(signature)});
    const answer = await next();
    if (answer.t !== 'result') throw new Error('The car answered something this app does not understand.');
    let verified = false;
    if (answer.signature && answer.nonce === challenge.nonce && answer.counter === challenge.counter) {
      verified = await crypto.subtle.verify(SIGN, await carKey(c), fromB64url(answer.signature),
        lines('latchkey/ble-result/v1', c.tenant, c.deviceId, c.keyId, action, answer.nonce, String(answer.counter),
          answer.outcome, answer.reason || '', answer.lockState || ''));
    }
    result.removeEventListener('characteristicvaluechanged', onValue);
    return {outcome: answer.outcome, reason: answer.reason, lockState: answer.lockState, verified};
  } finally {
    try {
      server.disconnect();
    } catch (e) {
      // already gone
    }
  }
}

// ---------- the car page's "Phone key" card ----------
const OUTCOMES = {EXECUTED: 'done', FAILED: 'tried, but the car could not confirm it', REJECTED: 'refused'};
const REFUSALS = {
  REVOKED: 'this key has been revoked', EXPIRED: 'the key has expired', NOT_YET_VALID: 'the key is not valid yet',
  TIME_UNKNOWN: 'the car does not know the time', NO_RIGHT: 'this key does not allow that', WRONG_DEVICE: 'this key is for another car',
  REPLAYED: 'the car saw this code already', STALE_PRESENTATION: 'the code is too old or the phone\'s clock is wrong',
  BAD_HOLDER_SIGNATURE: 'the key on this phone does not match', DOOR_OPEN: 'a door is open', IGNITION_ON: 'the ignition is on',
  NO_FEEDBACK: 'the lock did not confirm',
};
const verb = (action) => (action === 'UNLOCK' ? 'unlock' : 'lock');

/**
 * The car page's phone key: gets (or refreshes) the booking's key and the revocation list while online, then offers
 * Bluetooth and the QR code, both usable with no network. {@code online} false: the stored key only, no call.
 * Returns {card, start, stop}: start() after the card is shown; stop() ends the QR's redrawing.
 */
export function keyCard(booking, online) {
  const status = h('p', {id: 'key-status'}, online ? 'Getting your phone key…' : 'Looking for the key on this phone…');
  const box = outcomeBox('key-outcome');
  const actions = h('div', {id: 'key-actions', hidden: true});
  const qrArea = h('div', {id: 'key-qr-area', hidden: true});
  let timer = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  function showQr(key, action) {
    stop();
    const canvas = h('canvas', {id: 'key-qr', role: 'img', 'aria-label': `QR code to ${verb(action)} the car: hold it up to the scanner behind the windscreen`});
    const caption = h('p', {id: 'key-qr-caption', class: 'muted', 'aria-live': 'off'});
    const hide = h('button', {type: 'button', class: 'secondary', id: 'key-qr-hide'}, 'Hide the code');
    hide.addEventListener('click', () => { stop(); qrArea.hidden = true; qrArea.replaceChildren(); });
    qrArea.replaceChildren(h('h3', {}, `Code to ${verb(action)}`), canvas, caption, hide);
    qrArea.hidden = false;
    const draw = async () => {
      if (!canvas.isConnected && timer) {
        stop();
        return;
      }
      try {
        const {text, counter} = await qrText(key, action);
        drawQr(canvas, text);
        canvas.dataset.counter = String(counter);
        caption.textContent = `A new code every ${QR_EVERY_MS / 1000} seconds (number ${counter}). Each works once.`;
      } catch (e) {
        stop();
        say(box, 'bad', `The code could not be made: ${e.message}`);
      }
    };
    draw();
    timer = setInterval(draw, QR_EVERY_MS);
  }

  async function ble(key, action, button) {
    button.disabled = true;
    say(box, 'info', `Looking for the car over Bluetooth to ${verb(action)} it…`);
    try {
      const r = await presentBle(key, action);
      if (r.outcome === 'EXECUTED' && r.verified) say(box, 'ok', `${action === 'UNLOCK' ? 'Unlocked' : 'Locked'} over Bluetooth. The car confirmed it.`);
      else if (r.outcome === 'EXECUTED') say(box, 'bad', 'The car answered, but its answer is not signed by this car: treat it as not done.');
      else say(box, 'bad', `The car did not ${verb(action)}: ${OUTCOMES[r.outcome] || r.outcome}${r.reason ? ` (${REFUSALS[r.reason] || r.reason})` : ''}.`);
    } catch (e) {
      const cancelled = e && e.name === 'NotFoundError';
      say(box, 'bad', cancelled ? 'No car was chosen. Stand next to the car and try again.' : `Bluetooth did not work: ${e.message || e}`);
    } finally {
      button.disabled = false;
    }
  }

  async function draw(key) {
    if (!key) {
      status.textContent = online ? 'No phone key yet.' : 'This phone holds no key for this booking. Connect once to get one.';
      return;
    }
    const c = key.credential;
    if (await revokedHere(key)) {
      status.textContent = 'This phone key has been revoked. The car will refuse it.';
      actions.hidden = true;
      return;
    }
    const expired = Date.now() >= Date.parse(c.notAfter);
    status.textContent = expired ? `Your phone key expired at ${when(c.notAfter)}. Connect to get a new one.`
      : `Your phone key works without network until ${when(c.notAfter)}${Date.parse(c.notBefore) > Date.now() ? `, from ${when(c.notBefore)}` : ''}.`;
    if (expired) return;
    const support = await bleSupport();
    const bleButtons = support === 'yes' ? [
      h('button', {type: 'button', id: 'ble-unlock'}, 'Unlock by Bluetooth'),
      h('button', {type: 'button', id: 'ble-lock', class: 'secondary'}, 'Lock by Bluetooth')] : [];
    bleButtons.forEach((b) => b.addEventListener('click', () => ble(key, b.id === 'ble-unlock' ? 'UNLOCK' : 'LOCK', b)));
    const qrButtons = [
      h('button', {type: 'button', id: 'qr-unlock', class: 'secondary'}, 'QR code to unlock'),
      h('button', {type: 'button', id: 'qr-lock', class: 'secondary'}, 'QR code to lock')];
    qrButtons.forEach((b) => b.addEventListener('click', () => showQr(key, b.id === 'qr-unlock' ? 'UNLOCK' : 'LOCK')));
    actions.replaceChildren(
      h('h3', {}, 'Bluetooth'),
      support === 'yes' ? h('div', {class: 'big'}, ...bleButtons)
        : h('p', {id: 'ble-absent'}, support === 'no-api'
          ? 'This browser cannot use Bluetooth (it has no Web Bluetooth; Chrome on Android has). Use the QR code.'
          : 'Bluetooth is not available on this device (no adapter, or it is switched off). Use the QR code.'),
      h('h3', {}, 'QR code'),
      h('p', {class: 'muted'}, 'For cars with a scanner behind the windscreen.'),
      h('div', {class: 'big'}, ...qrButtons));
    actions.hidden = false;
  }

  async function start() {
    let key = null;
    try {
      key = await storedKey(booking.id);
      if (online) {
        try {
          await refreshRevocations();
        } catch (e) {
          // the list kept before is carried instead
        }
        // a revoked key is not renewed behind the operator's back: the card says it is revoked
        if (!key || !(await revokedHere(key))) {
          try {
            if (!key || wantsRefresh(key, booking)) key = await obtain(booking.id, {refresh: !!key});
          } catch (e) {
            if (!key) say(box, 'bad', `No phone key: ${e.message}`);
          }
        }
      }
    } catch (e) {
      say(box, 'bad', `This browser cannot keep a phone key: ${e.message || e}`);
    }
    if (status.isConnected || !online) await draw(key);
  }

  const card = h('div', {class: 'card', id: 'phone-key'}, h('h2', {}, 'Phone key'),
    h('p', {class: 'muted'}, 'Opens the car when there is no network, at the car or on your phone.'),
    status, actions, qrArea, box);
  return {card, start, stop};
}

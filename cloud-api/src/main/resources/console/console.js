// Latchkey operator console: the shell. It signs the operator in (the browser session of the tenant's issuer, client
// latchkey-console), draws the navigation and routes the hash (#/map, #/cars/{id}, ...) to the views that the
// feature modules register. A view is {path: '#/name', nav: 'Label' (optional), pattern: RegExp (optional, its groups
// are the arguments), render(ctx, ...args)}; render may return a function that the shell calls when the operator
// leaves the view (close a stream, stop a timer). See docs/console.md.
import {h, api, tenant, loadSession, hasRole, whenSessionEnds, signOut, loadConfig} from './common.js';
import {views as fleetViews} from './fleet.js';
import {views as carViews} from './car.js';
import {views as adminViews} from './admin.js';
import {views as rolloutViews} from './rollouts.js';

const VIEWS = [...fleetViews, ...carViews, ...adminViews, ...rolloutViews];
const HOME = '#/map';

let config = {};
let leave = null;

const main = () => document.getElementById('main');

/** Replaces the page's content: a heading, the content, the document title; focus moves to the content. */
function show(title, ...content) {
  main().replaceChildren(h('h1', {}, title), ...content.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  document.title = `${title} – Latchkey console`;
  main().focus({preventScroll: true});
  window.scrollTo(0, 0);
}

function markNav() {
  const current = `#/${location.hash.split('/')[1] || ''}`;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function signedOut(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  if (leave) {
    leave();
    leave = null;
  }
  show('Latchkey console',
    message ? h('p', {class: 'outcome info', role: 'status'}, message) : null,
    h('div', {class: 'card'},
      h('p', {}, `The fleet console of ${tenant}, for its operators and administrators.`),
      h('a', {class: 'button', href: `${api}/session/sign-in?client=latchkey-console`, id: 'sign-in'}, 'Sign in')));
}

async function route() {
  if (leave) {
    try {
      leave();
    } finally {
      leave = null;
    }
  }
  const hash = location.hash || HOME;
  for (const view of VIEWS) {
    const match = view.pattern ? view.pattern.exec(hash) : (hash === view.path ? [hash] : null);
    if (match) {
      markNav();
      try {
        const left = await view.render({show, config, main: main()}, ...match.slice(1).map(decodeURIComponent));
        leave = typeof left === 'function' ? left : null;
      } catch (e) {
        if (e && e.status === 401) return; // the session ended: the sign-in screen is shown
        show('Something went wrong', h('p', {class: 'outcome bad', role: 'alert'}, e && e.message ? e.message : String(e)));
      }
      return;
    }
  }
  show('Not found', h('p', {}, 'There is no such page in the console. '), h('a', {href: HOME}, 'Go to the fleet map'));
}

async function start() {
  document.getElementById('tenant-name').textContent = tenant;
  whenSessionEnds(signedOut);
  document.getElementById('sign-out').addEventListener('click', async () => {
    await signOut();
    signedOut('You are signed out.');
  });
  let session;
  try {
    session = await loadSession();
  } catch (e) {
    show('Offline', h('p', {}, 'The console needs the network. Try again when you are online.'));
    return;
  }
  config = await loadConfig();
  if (!session) {
    signedOut();
    return;
  }
  if (!hasRole('operator', 'tenant-admin')) {
    show('Not an operator account', h('p', {}, 'This console is for operators and administrators. Borrowers use the app: '),
      h('a', {href: `${api}/app/`}, 'open the Latchkey app'));
    return;
  }
  const nav = document.getElementById('nav');
  nav.replaceChildren(...VIEWS.filter((v) => v.nav && (!v.roles || hasRole(...v.roles)))
    .map((v) => h('a', {href: v.path, id: `nav-${v.path.slice(2)}`}, v.nav)));
  nav.hidden = false;
  document.getElementById('sign-out').hidden = false;
  window.addEventListener('hashchange', route);
  await route();
}

start();

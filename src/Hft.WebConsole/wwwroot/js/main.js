// The console's entry point: sign-in, the header (views, symbol, connection, identity, logout) and switching between
// the trader and operator views. Signing out closes the socket and forgets every token and every account's data.
import { session } from './session.js';
import { byId, el } from './dom.js';
import { describe } from './errors.js';
import { MarketSocket } from './socket.js';
import { loadInstruments } from './instruments.js';
import { TraderView } from './trader.js';
import { OperatorView } from './operator.js';

let socket = null;
const trader = new TraderView();
const operator = new OperatorView();

byId('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = byId('api-key');
  byId('login-error').textContent = '';
  try {
    await session.login(key.value.trim());
    key.value = '';
  } catch (error) {
    // a refused key: the server's own words ("unknown API key", "account disabled", a lockout)
    byId('login-error').textContent = error.status === 401 || error.status === 403 ? `${error.message} (${error.code})` : describe(error);
  }
});

byId('logout').addEventListener('click', () => session.logout());
byId('views').addEventListener('click', (e) => { if (e.target.dataset.view) show(e.target.dataset.view); });
byId('symbol').addEventListener('change', (e) => trader.select(e.target.value));

let signedInAs = null;
session.onChange(() => {
  const who = session.signedIn ? `${session.account}/${session.role}` : null;
  if (who === signedInAs) return; // a token refresh: same user, nothing to redraw
  signedInAs = who;
  if (who) start().catch((error) => { byId('login-error').textContent = describe(error); session.logout(); });
  else stop();
});

async function start() {
  const list = await loadInstruments();
  byId('symbol').replaceChildren(...list.map((i) => el('option', { value: i.symbol }, i.symbol)));
  byId('identity').textContent = `${session.account} · ${session.role}`;
  document.querySelectorAll('[data-admin]').forEach((n) => { n.hidden = !session.isAdmin; });
  socket = new MarketSocket((up) => {
    const c = byId('connection');
    c.textContent = up ? 'live' : 'reconnecting';
    c.className = 'connection ' + (up ? 'up' : 'down');
  });
  socket.open();
  setSignedIn(true);
  show(session.isAdmin && location.hash === '#operator' ? 'operator' : 'trader');
  await trader.start(socket, list[0].symbol);
}

function stop() {
  socket?.close();
  socket = null;
  operator.stop();
  setSignedIn(false);
  // the views are rebuilt from the server at the next sign-in: nothing of this account stays on screen
  document.querySelectorAll('#trader-view tbody, #operator-view tbody').forEach((t) => t.replaceChildren());
  ['ticker', 'account-summary', 'health', 'ticket-message', 'orders-message', 'operator-message'].forEach((id) => { byId(id).textContent = ''; });
  byId('api-key').focus();
}

function setSignedIn(on) {
  byId('login-view').hidden = on;
  ['views', 'symbol-picker', 'connection', 'identity', 'logout'].forEach((id) => { byId(id).hidden = !on; });
  if (!on) { byId('trader-view').hidden = true; byId('operator-view').hidden = true; }
}

function show(view) {
  byId('trader-view').hidden = view !== 'trader';
  byId('operator-view').hidden = view !== 'operator';
  byId('symbol-picker').hidden = view !== 'trader';
  document.querySelectorAll('#views button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.view === view)));
  if (view === 'operator' && session.isAdmin) operator.start();
  else operator.stop();
}

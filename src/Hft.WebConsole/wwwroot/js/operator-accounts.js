// Operator: accounts with exposure and risk use; the kill switch (disable, confirmed), enable, cancel all, session
// revocation (confirmed) and the limits editor. Account reads are audited by the server, so the list is read when the
// view opens, after each action and on request - not polled.
import { get, post, put } from './api.js';
import { el, byId, say } from './dom.js';
import { describe } from './errors.js';
import { confirmAction } from './confirm.js';

const LIMITS = [
  ['credit', 'Credit'], ['maxOrderQty', 'Max order qty'], ['maxOrderNotional', 'Max order notional'], ['maxPosition', 'Max position'],
  ['maxOpenOrders', 'Max open orders'], ['makerFeeBps', 'Maker fee (bps)'], ['takerFeeBps', 'Taker fee (bps)'],
];

export class AccountsPanel {
  #accounts = [];
  #editing = null;

  constructor(message) {
    this.message = message;
    this.tbody = byId('accounts').querySelector('tbody');
    this.form = byId('limits-form');
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.#saveLimits(); });
    byId('limits-cancel').addEventListener('click', () => this.#closeLimits());
    this.form.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.#closeLimits(); });
    byId('accounts-refresh').addEventListener('click', () => this.load().catch((e) => say(this.message, describe(e))));
  }

  async load() {
    this.#accounts = await get('/api/v1/admin/accounts');
    this.tbody.replaceChildren(...this.#accounts.map((a) => this.#row(a)));
  }

  #row(a) {
    const button = (label, onclick, cls) => el('button', { type: 'button', class: cls, onclick, 'aria-label': `${label} ${a.account}` }, label);
    return el('tr', { dataset: { account: a.account } },
      el('td', {}, a.account), el('td', { class: a.enabled ? 'buy' : 'sell' }, a.enabled ? 'enabled' : 'disabled'),
      el('td', {}, a.openOrders), el('td', {}, a.exposure), el('td', {}, `${(Number(a.utilization) * 100).toFixed(2)}%`),
      el('td', {}, a.realizedPnl), el('td', {}, a.unrealizedPnl),
      el('td', { class: 'actions' },
        a.enabled
          ? button('Kill switch', () => this.#confirmed(`Disable ${a.account}? Its open orders are canceled and it can place no more.`, 'Disable',
            `/api/v1/admin/accounts/${a.account}/disable`, `${a.account} disabled`), 'danger')
          : button('Enable', () => this.#run(`/api/v1/admin/accounts/${a.account}/enable`, `${a.account} enabled`)),
        ' ', button('Cancel orders', () => this.#run(`/api/v1/admin/accounts/${a.account}/cancel-all`, `Orders of ${a.account} canceled`)),
        ' ', button('Revoke sessions', () => this.#confirmed(`End every session of ${a.account}? Its users must sign in again.`, 'Revoke',
          `/api/v1/admin/accounts/${a.account}/revoke-sessions`, `Sessions of ${a.account} revoked`), 'danger'),
        ' ', button('Limits', () => this.#openLimits(a))));
  }

  #openLimits(a) {
    this.#editing = a;
    byId('limits-account').textContent = a.account;
    const grid = this.form.querySelector('.limits-grid');
    grid.replaceChildren(...LIMITS.flatMap(([name, label]) => [
      el('label', { for: `limit-${name}` }, label),
      el('input', { id: `limit-${name}`, name, value: a.limits[name] ?? '', placeholder: 'unlimited', inputmode: 'decimal' }),
    ]));
    this.form.hidden = false;
    byId('limit-credit').focus();
  }

  #closeLimits() {
    this.#editing = null;
    this.form.hidden = true;
  }

  /** Sends only the limits that changed; an emptied field means unlimited (null). */
  async #saveLimits() {
    const a = this.#editing;
    const body = {};
    for (const [name] of LIMITS) {
      const text = byId(`limit-${name}`).value.trim();
      const before = a.limits[name] === null || a.limits[name] === undefined ? '' : String(a.limits[name]);
      if (text === before) continue;
      body[name] = text === '' ? null : name === 'maxOpenOrders' ? Number(text) : text;
    }
    if (Object.keys(body).length === 0) { this.#closeLimits(); return; }
    try {
      await put(`/api/v1/admin/accounts/${a.account}/limits`, body);
      say(this.message, `Limits of ${a.account} saved`, 'ok');
      this.#closeLimits();
    } catch (e) { say(this.message, describe(e)); }
    await this.load().catch(() => {});
  }

  async #confirmed(question, action, path, done) {
    if (await confirmAction(question, action)) await this.#run(path, done);
  }

  async #run(path, done) {
    try {
      await post(path);
      say(this.message, done, 'ok');
    } catch (e) { say(this.message, describe(e)); }
    await this.load().catch(() => {});
  }
}

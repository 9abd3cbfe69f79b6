// Positions with realized and unrealized PnL (GET /api/v1/positions, then the user channel's position messages) and
// the account's risk use (GET /api/v1/account: exposure against credit, open orders, limits).
import { get } from './api.js';
import { el } from './dom.js';

export class Positions {
  #bySymbol = new Map();
  #pending = null;

  constructor(tbody, summary) {
    this.tbody = tbody;
    this.summary = summary;
  }

  async load() {
    const [positions, account] = await Promise.all([get('/api/v1/positions'), get('/api/v1/account')]);
    this.#bySymbol = new Map(positions.map((p) => [p.symbol, p]));
    this.#render();
    this.#renderAccount(account);
  }

  /** A position message of the user channel: shown at once; the account summary is re-read soon. */
  update(position) {
    this.#bySymbol.set(position.symbol, position);
    this.#render();
    this.changed();
  }

  changed() {
    clearTimeout(this.#pending);
    this.#pending = setTimeout(() => get('/api/v1/account').then((a) => this.#renderAccount(a)).catch(() => {}), 150);
  }

  #render() {
    const rows = [...this.#bySymbol.values()].map((p) => el('tr', { dataset: { symbol: p.symbol } },
      el('td', {}, p.symbol), el('td', { class: p.qty.startsWith('-') ? 'sell' : p.qty === '0' ? '' : 'buy' }, p.qty),
      el('td', {}, p.avgPrice), el('td', { class: pnl(p.realizedPnl) }, p.realizedPnl),
      el('td', { class: pnl(p.unrealizedPnl) }, p.unrealizedPnl), el('td', {}, p.fees)));
    this.tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 6, class: 'hint' }, 'No positions'))]));
  }

  #renderAccount(a) {
    const use = Number(a.utilization);
    const item = (label, value, attrs = {}) => [el('dt', {}, label), el('dd', attrs, value)];
    this.summary.replaceChildren(el('dl', { class: 'summary' },
      item('Account', `${a.account}${a.enabled ? '' : ' (disabled)'}`),
      item('Realized PnL', a.realizedPnl, { class: pnl(a.realizedPnl) }),
      item('Unrealized PnL', a.unrealizedPnl, { class: pnl(a.unrealizedPnl) }),
      item('Exposure', `${a.exposure} of ${a.limits.credit ?? '∞'}`),
      item('Risk used', el('meter', { min: 0, max: 1, low: 0.6, high: 0.85, optimum: 0, value: use, title: `${(use * 100).toFixed(2)}%` }),
        { id: 'risk-utilization', 'data-value': a.utilization }),
      item('Open orders', `${a.openOrders} of ${a.limits.maxOpenOrders ?? '∞'}`),
      item('Max position', a.limits.maxPosition ?? '∞')));
  }
}

const pnl = (text) => (text?.startsWith('-') ? 'sell' : text && text !== '0' ? 'buy' : '');

// The account's fills: its recent trades (GET /api/v1/trades), then each fill the user channel reports.
import { get } from './api.js';
import { el, time } from './dom.js';

const KEEP = 100;

export class Fills {
  #rows = [];
  constructor(tbody) { this.tbody = tbody; }

  async load() {
    this.#rows = await get(`/api/v1/trades?limit=${KEEP}`);
    this.#render();
  }

  /** A user channel order event with event "fill". */
  add(e) {
    this.#rows.unshift({ time: e.time, orderId: e.orderId, symbol: e.symbol, side: e.side, price: e.price, qty: e.qty, liquidity: e.liquidity });
    this.#rows.length = Math.min(this.#rows.length, KEEP);
    this.#render();
  }

  #render() {
    const rows = this.#rows.map((f) => el('tr', {},
      el('td', {}, time(f.time)), el('td', {}, f.orderId), el('td', {}, f.symbol), el('td', { class: f.side }, f.side),
      el('td', {}, f.price), el('td', {}, f.qty), el('td', {}, f.liquidity)));
    this.tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 7, class: 'hint' }, 'No fills yet'))]));
  }
}

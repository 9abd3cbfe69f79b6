// The trade tape: the newest trades of the selected symbol, newest first, colored by the taker's side.
import { el, time } from './dom.js';

const KEEP = 60;

export class Tape {
  #rows = [];
  constructor(tbody) { this.tbody = tbody; }

  reset(trades = []) {
    this.#rows = trades.slice(0, KEEP);
    this.#render();
  }

  add(trade) {
    this.#rows.unshift(trade);
    this.#rows.length = Math.min(this.#rows.length, KEEP);
    this.#render();
  }

  #render() {
    this.tbody.replaceChildren(...this.#rows.map((t) =>
      el('tr', { class: t.takerSide }, el('td', {}, time(t.time)), el('td', { class: t.takerSide }, t.price), el('td', {}, t.qty))));
  }
}

// Operator: every instrument with its state, halt and resume (one or all, confirmed) and the mark price.
import { get, post } from './api.js';
import { el, byId, say } from './dom.js';
import { describe } from './errors.js';
import { confirmAction } from './confirm.js';

export class InstrumentsPanel {
  constructor(message) {
    this.message = message;
    this.tbody = byId('instruments').querySelector('tbody');
    byId('halt-all').addEventListener('click', () => this.#act('Halt trading in every instrument?', 'Halt all', '/api/v1/admin/halt', 'All instruments halted'));
    byId('resume-all').addEventListener('click', () => this.#run('/api/v1/admin/resume', undefined, 'All instruments resumed'));
  }

  async load() {
    const list = await get('/api/v1/instruments');
    this.tbody.replaceChildren(...list.map((i) => this.#row(i)));
  }

  #row(i) {
    const mark = el('input', { 'aria-label': `Mark price of ${i.symbol}`, placeholder: i.mark ?? 'mark', inputmode: 'decimal' });
    const setMark = () => this.#run(`/api/v1/admin/instruments/${i.symbol}/mark`, { price: mark.value.trim() }, `Mark of ${i.symbol} set`);
    mark.addEventListener('keydown', (e) => { if (e.key === 'Enter') setMark(); });
    return el('tr', { dataset: { symbol: i.symbol } },
      el('td', {}, i.symbol), el('td', {}, i.tick), el('td', {}, i.lot), el('td', {}, i.priceBandPct), el('td', {}, i.last ?? '-'),
      el('td', {}, i.mark ?? '-'), el('td', { class: i.halted ? 'sell' : 'buy' }, i.halted ? 'halted' : 'trading'),
      el('td', { class: 'actions' },
        i.halted
          ? el('button', { type: 'button', onclick: () => this.#run(`/api/v1/admin/instruments/${i.symbol}/resume`, undefined, `${i.symbol} resumed`) }, `Resume ${i.symbol}`)
          : el('button', { type: 'button', class: 'danger', onclick: () => this.#act(`Halt trading in ${i.symbol}?`, 'Halt', `/api/v1/admin/instruments/${i.symbol}/halt`, `${i.symbol} halted`) }, `Halt ${i.symbol}`),
        ' ', mark, ' ', el('button', { type: 'button', onclick: setMark }, 'Set mark')));
  }

  async #act(question, action, path, done) {
    if (await confirmAction(question, action)) await this.#run(path, undefined, done);
  }

  async #run(path, body, done) {
    try {
      await post(path, body);
      say(this.message, done, 'ok');
    } catch (e) { say(this.message, describe(e)); }
    await this.load().catch(() => {});
  }
}

// The account's open orders: read from GET /api/v1/orders?status=open and re-read when the user channel reports a
// change (the REST answer is the truth; events only say when to look). The table cancels, replaces in place
// (price and quantity: Enter saves, Escape leaves) and cancels all.
import { get, patch, del } from './api.js';
import { describe } from './errors.js';
import { el, say } from './dom.js';
import { parse } from './decimal.js';

export class OpenOrders {
  list = [];
  #listeners = new Set();
  #pending = null;
  #editing = null;

  constructor(tbody, message) {
    this.tbody = tbody;
    this.message = message;
  }

  onChange(listener) { this.#listeners.add(listener); }

  async load() {
    this.list = await get('/api/v1/orders?status=open&limit=500');
    this.#render();
    this.#listeners.forEach((l) => l(this.list));
  }

  /** A user event arrived: re-read soon (several events of one command cause one read). */
  changed() {
    clearTimeout(this.#pending);
    this.#pending = setTimeout(() => this.load().catch(() => {}), 100);
  }

  /** The own resting quantity at a price of a side of a symbol, as a decimal string (null: none). */
  ownAt(symbol, side, price) {
    let total = 0n;
    for (const o of this.list) {
      if (o.symbol !== symbol || o.side !== side || o.price === null || parse(o.price) !== parse(price)) continue;
      const shown = parse(o.visibleQty ?? o.remainingQty); // an iceberg shows its slice; a pending stop nothing
      if (!shown) continue;
      total += shown;
    }
    return total === 0n ? null : format(total);
  }

  async cancel(id) {
    try {
      await del(`/api/v1/orders/${id}`);
      say(this.message, `Order ${id} canceled`, 'ok');
      this.changed();
    } catch (e) { say(this.message, describe(e)); }
  }

  async cancelAll(symbol) {
    try {
      const r = await del(`/api/v1/orders${symbol ? `?symbol=${encodeURIComponent(symbol)}` : ''}`);
      say(this.message, `Canceled ${r?.canceled ?? r?.ids?.length ?? 'all'} order(s)`, 'ok');
      this.changed();
    } catch (e) { say(this.message, describe(e)); }
  }

  async replace(order, price, qty) {
    const body = {};
    if (price && price !== order.price) body.price = price;
    if (qty && qty !== order.qty) body.qty = qty;
    this.#editing = null;
    if (Object.keys(body).length === 0) { this.#render(); return; }
    try {
      await patch(`/api/v1/orders/${order.id}`, body);
      say(this.message, `Order ${order.id} replaced`, 'ok');
    } catch (e) { say(this.message, describe(e)); }
    await this.load();
  }

  #render() {
    const rows = this.list.map((o) => this.#editing === o.id ? this.#editRow(o) : el('tr', { dataset: { id: o.id } },
      el('td', {}, o.id), el('td', {}, o.symbol), el('td', { class: o.side }, o.side), el('td', {}, typeText(o)),
      el('td', {}, o.price ?? (o.triggerPrice ? `@${o.triggerPrice}` : 'market')), el('td', {}, o.qty), el('td', {}, o.filledQty),
      el('td', {}, o.status),
      el('td', {},
        el('button', { type: 'button', onclick: () => { this.#editing = o.id; this.#render(); }, 'aria-label': `Replace order ${o.id}` }, 'Edit'), ' ',
        el('button', { type: 'button', class: 'danger', onclick: () => this.cancel(o.id), 'aria-label': `Cancel order ${o.id}` }, 'Cancel'))));
    this.tbody.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 9, class: 'hint' }, 'No open orders'))]));
  }

  #editRow(o) {
    const price = el('input', { value: o.price ?? '', 'aria-label': `New price of order ${o.id}`, disabled: o.price === null });
    const qty = el('input', { value: o.qty, 'aria-label': `New quantity of order ${o.id}` });
    const save = () => this.replace(o, o.price === null ? null : price.value.trim(), qty.value.trim());
    const keys = (e) => {
      if (e.key === 'Enter') { e.preventDefault(); save(); }
      if (e.key === 'Escape') { this.#editing = null; this.#render(); }
    };
    price.addEventListener('keydown', keys);
    qty.addEventListener('keydown', keys);
    queueMicrotask(() => (o.price === null ? qty : price).focus());
    return el('tr', { dataset: { id: o.id }, class: 'editing' },
      el('td', {}, o.id), el('td', {}, o.symbol), el('td', { class: o.side }, o.side), el('td', {}, typeText(o)),
      el('td', {}, price), el('td', {}, qty), el('td', {}, o.filledQty), el('td', {}, o.status),
      el('td', {}, el('button', { type: 'button', onclick: save, 'aria-label': `Save order ${o.id}` }, 'Save')));
  }
}

const typeText = (o) => [o.type, o.tif, o.postOnly ? 'post' : null, o.displayQty ? `ice ${o.displayQty}` : null].filter(Boolean).join(' ');

/** A 1e-18 scaled BigInt back to a short decimal string. */
function format(units) {
  const text = units.toString().padStart(19, '0');
  const whole = text.slice(0, -18), fraction = text.slice(-18).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

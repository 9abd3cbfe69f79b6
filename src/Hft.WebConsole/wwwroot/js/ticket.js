// The order ticket form: shows only the fields the chosen type and time in force use, checks them against the
// instrument before sending (ticket-rules.js), places the order and says what happened in the API's words.
// Keyboard: every field labelled, Enter submits (a form), Escape clears.
import { post } from './api.js';
import { describe } from './errors.js';
import { byId, say } from './dom.js';
import { buildOrder, needsPrice, needsTrigger, allowsDisplay, allowsPostOnly } from './ticket-rules.js';

const FIELDS = { price: 't-price', qty: 't-qty', triggerPrice: 't-trigger', expireTime: 't-expire', displayQty: 't-display',
  postOnly: 't-post', clientOrderId: 't-cid', stp: 't-stp', tif: 't-tif', type: 't-type' };

export class Ticket {
  symbol = null;
  instrument = null;

  constructor(form, onPlaced) {
    this.form = form;
    this.onPlaced = onPlaced;
    this.message = byId('ticket-message');
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    form.addEventListener('reset', () => setTimeout(() => this.#clear(), 0));
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); form.reset(); }
      // Enter submits from every field: inputs do it natively, selects and checkboxes here
      if (e.key === 'Enter' && (e.target.tagName === 'SELECT' || e.target.type === 'checkbox' || e.target.type === 'radio')) {
        e.preventDefault();
        this.submit();
      }
    });
    form.addEventListener('change', () => this.#shape());
    this.#shape();
  }

  /** The symbol traded and its reference data (tick, lot, halt state). */
  show(symbol, instrument) {
    this.symbol = symbol;
    this.instrument = instrument;
    const halted = Boolean(instrument?.halted);
    const badge = byId('ticket-status');
    badge.textContent = halted ? `${symbol} HALTED` : symbol;
    badge.className = 'badge ' + (halted ? 'halted' : 'trading');
    byId('t-submit').disabled = halted;
    byId('t-submit').textContent = halted ? 'Halted' : 'Place order';
    byId('ticket-grid').textContent = instrument ? `tick ${instrument.tick} · lot ${instrument.lot} · band ±${instrument.priceBandPct}%` : '';
  }

  setPrice(price) {
    if (!needsPrice(byId('t-type').value)) byId('t-type').value = 'limit';
    byId('t-price').value = price;
    this.#shape();
    byId('t-qty').focus();
  }

  async submit() {
    const values = this.#values();
    const built = buildOrder(values, this.instrument);
    this.#mark(built.errors ?? {});
    if (built.errors) {
      say(this.message, Object.values(built.errors).join('. '));
      return;
    }
    try {
      const order = await post('/api/v1/orders', built.body);
      const filled = order.filledQty && order.filledQty !== '0' ? `, filled ${order.filledQty}` : '';
      say(this.message, `Order ${order.id} ${order.status}${filled}${order.reason ? ` (${order.reason})` : ''}`, order.status === 'rejected' ? 'error' : 'ok');
      byId('t-cid').value = '';
      this.onPlaced(order);
    } catch (e) {
      say(this.message, describe(e));
    }
  }

  #values() {
    const v = (name) => (byId(FIELDS[name]).disabled ? '' : byId(FIELDS[name]).value.trim());
    const expire = v('expireTime');
    return {
      symbol: this.symbol, side: this.form.elements.side.value, type: v('type'), tif: v('tif'), price: v('price'), qty: v('qty'),
      triggerPrice: v('triggerPrice'), displayQty: v('displayQty'), expireTime: expire ? new Date(expire) : null, stp: v('stp'),
      postOnly: byId(FIELDS.postOnly).checked && !byId(FIELDS.postOnly).disabled, clientOrderId: v('clientOrderId'),
    };
  }

  /** Enables the fields the type and time in force use; the others are disabled (and skipped by Tab). */
  #shape() {
    const type = byId('t-type').value, tif = byId('t-tif').value;
    const on = { price: needsPrice(type), triggerPrice: needsTrigger(type), expireTime: tif === 'gtd',
      displayQty: allowsDisplay(type, tif), postOnly: allowsPostOnly(type, tif) };
    for (const [name, enabled] of Object.entries(on)) {
      const input = byId(FIELDS[name]);
      input.disabled = !enabled;
      input.closest('label')?.toggleAttribute('data-off', !enabled);
      this.form.querySelector(`label[for="${FIELDS[name]}"]`)?.toggleAttribute('data-off', !enabled);
    }
    this.form.classList.toggle('sell', this.form.elements.side.value === 'sell');
  }

  #mark(errors) {
    for (const [name, id] of Object.entries(FIELDS)) {
      const input = byId(id);
      if (errors[name]) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  #clear() {
    this.#mark({});
    say(this.message, '');
    this.#shape();
  }
}

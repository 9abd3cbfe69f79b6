// The trader view: ticker, order ticket, depth ladder, price chart, trade tape, open orders, positions and fills of
// the selected symbol, live over one WebSocket (level2, trades, ticker, status and the private user channel).
import { get } from './api.js';
import { byId, say } from './dom.js';
import { describe } from './errors.js';
import { Book } from './book.js';
import { renderLadder } from './ladder.js';
import { Tape } from './tape.js';
import { Candles } from './candles.js';
import { drawChart } from './chart.js';
import { renderTicker } from './ticker.js';
import { Ticket } from './ticket.js';
import { OpenOrders } from './orders.js';
import { Positions } from './positions.js';
import { Fills } from './fills.js';
import { instruments, setHalted, onInstruments } from './instruments.js';

const PUBLIC = ['level2', 'trades', 'ticker'];

export class TraderView {
  symbol = null;
  #book = new Book();
  #tick = null;
  #tape = new Tape(byId('tape').querySelector('tbody'));
  #candles = new Candles(Number(byId('candle-interval').value));
  #orders = new OpenOrders(byId('orders').querySelector('tbody'), byId('orders-message'));
  #positions = new Positions(byId('positions').querySelector('tbody'), byId('account-summary'));
  #fills = new Fills(byId('fills').querySelector('tbody'));
  #ticket = new Ticket(byId('ticket'), () => { this.#orders.changed(); this.#positions.changed(); });
  #frame = 0;
  #trades = []; // of the selected symbol, newest first (candles are rebuilt from them when the interval changes)

  /** Built once per page: the listeners of the view's own elements. */
  constructor() {
    this.#orders.onChange(() => this.#renderLadder());
    onInstruments(() => {
      if (!this.symbol) return; // signed out, or the first symbol not chosen yet
      this.#renderTicker();
      this.#ticket.show(this.symbol, instruments.get(this.symbol));
    });
    byId('cancel-all').addEventListener('click', () => this.#orders.cancelAll());
    byId('candle-interval').addEventListener('change', (e) => this.#rebuildCandles(Number(e.target.value)));
    new ResizeObserver(() => this.#draw()).observe(byId('chart'));
  }

  /** Signed in: follows the socket's channels, shows the symbol and loads the account's state. */
  async start(socket, symbol) {
    this.socket = socket;
    this.symbol = null;
    socket.on('level2', (m) => this.#onLevel2(m));
    socket.on('trades', (m) => this.#onTrade(m));
    socket.on('ticker', (m) => { if (m.symbol === this.symbol) { this.#tick = m; this.#renderTicker(); } });
    socket.on('status', (m) => setHalted(m.symbol, m.status === 'halted'));
    socket.on('user', (m) => this.#onUser(m));
    for (const s of instruments.keys()) this.socket.subscribe('status', s);
    this.socket.subscribe('user');
    await this.select(symbol);
    await Promise.all([this.#orders.load(), this.#positions.load(), this.#fills.load()]).catch((e) => say(byId('orders-message'), describe(e)));
  }

  async select(symbol) {
    if (this.symbol) PUBLIC.forEach((c) => this.socket.unsubscribe(c, this.symbol));
    this.symbol = symbol;
    this.#book = new Book();
    this.#tick = null;
    this.#ticket.show(symbol, instruments.get(symbol));
    this.#renderTicker();
    this.#renderLadder();
    PUBLIC.forEach((c) => this.socket.subscribe(c, symbol));
    const trades = await get(`/api/v1/trades/${encodeURIComponent(symbol)}?limit=500`).catch(() => []);
    if (symbol !== this.symbol) return;
    this.#tape.reset(trades);
    this.#trades = trades;
    this.#rebuildCandles(this.#candles.seconds);
  }

  #onLevel2(m) {
    if (m.symbol !== this.symbol) return;
    if (!this.#book.apply(m)) { this.#book = new Book(); this.socket.resubscribe('level2', this.symbol); return; }
    this.#renderLadder();
  }

  #onTrade(m) {
    if (m.symbol !== this.symbol) return;
    this.#trades.unshift(m);
    this.#trades.length = Math.min(this.#trades.length, 2000);
    this.#tape.add(m);
    this.#candles.add(m);
    this.#draw();
  }

  #onUser(m) {
    if (m.type === 'position') { this.#positions.update(m.position); return; }
    if (m.type === 'resync') { this.#orders.changed(); this.#positions.load().catch(() => {}); return; }
    if (m.type !== 'order') return;
    if (m.event === 'fill') this.#fills.add(m);
    if (m.event === 'rejected') say(byId('orders-message'), `Order ${m.orderId} rejected: ${describe({ code: m.reason })}`);
    this.#orders.changed();
    this.#positions.changed();
  }

  #rebuildCandles(seconds) {
    this.#candles = new Candles(seconds);
    this.#candles.reset(this.#trades);
    this.#draw();
  }

  #renderLadder() {
    renderLadder(byId('ladder').querySelector('tbody'), this.#book, (side, price) => this.#orders.ownAt(this.symbol, side, price),
      (price) => this.#ticket.setPrice(price));
  }

  #renderTicker() {
    if (this.symbol) renderTicker(byId('ticker'), this.symbol, this.#tick, instruments.get(this.symbol));
  }

  #draw() {
    cancelAnimationFrame(this.#frame);
    this.#frame = requestAnimationFrame(() => drawChart(byId('chart'), this.#candles.list));
  }
}

// Candles built from trades: open, high, low, close and volume per interval (seconds), oldest first.
import { approx } from './decimal.js';

const KEEP = 120;

export class Candles {
  list = [];
  constructor(seconds) { this.seconds = seconds; }

  /** Rebuilds from trades in any order. */
  reset(trades) {
    this.list = [];
    [...trades].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).forEach((t) => this.add(t));
  }

  add(trade) {
    const price = approx(trade.price), qty = approx(trade.qty);
    const start = Math.floor(Date.parse(trade.time) / 1000 / this.seconds) * this.seconds;
    const last = this.list.at(-1);
    if (last && last.start === start) {
      last.high = Math.max(last.high, price);
      last.low = Math.min(last.low, price);
      last.close = price;
      last.volume += qty;
    } else if (!last || start > last.start) {
      this.list.push({ start, open: price, high: price, low: price, close: price, volume: qty });
      if (this.list.length > KEEP) this.list.shift();
    }
  }
}

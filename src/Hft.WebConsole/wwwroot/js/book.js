// A level2 book rebuilt from the level2 channel: a snapshot, then updates with only the changed levels (qty "0":
// gone). prevSeq must equal the last seq applied, else a message was missed and the caller resubscribes.
import { parse } from './decimal.js';

export class Book {
  bids = new Map(); // price text -> { qty, count }
  asks = new Map();
  seq = -1;

  /** Applies one level2 message; false when it shows a gap (resubscribe for a fresh snapshot). */
  apply(message) {
    if (message.type === 'snapshot') {
      this.bids.clear();
      this.asks.clear();
    } else if (message.type === 'update') {
      if (this.seq < 0 || message.prevSeq !== this.seq) return false;
    } else {
      return message.type !== 'resync';
    }
    for (const [price, qty, count] of message.bids ?? []) set(this.bids, price, qty, count);
    for (const [price, qty, count] of message.asks ?? []) set(this.asks, price, qty, count);
    this.seq = message.seq;
    return true;
  }

  /** Best first: bids high to low, asks low to high. */
  levels(side, depth) {
    const map = side === 'buy' ? this.bids : this.asks;
    const sorted = [...map.entries()].sort((a, b) => {
      const d = parse(a[0]) - parse(b[0]);
      return side === 'buy' ? (d > 0n ? -1 : d < 0n ? 1 : 0) : (d < 0n ? -1 : d > 0n ? 1 : 0);
    });
    return sorted.slice(0, depth).map(([price, l]) => ({ price, ...l }));
  }
}

function set(map, price, qty, count) {
  if (parse(qty) === 0n) map.delete(price);
  else map.set(price, { qty, count });
}

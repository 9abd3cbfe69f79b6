// The depth ladder: asks above (best nearest the middle), bids below, with sizes, order counts and the signed-in
// account's own resting quantity at each price. Clicking a price copies it into the order ticket.
import { el, fillRows } from './dom.js';

const DEPTH = 12;

export function renderLadder(tbody, book, ownAt, onPrice) {
  const asks = book.levels('sell', DEPTH).reverse();
  const bids = book.levels('buy', DEPTH);
  const row = (side, l) => {
    const own = ownAt(side, l.price);
    const priceCell = el('td', { class: 'price', onclick: () => onPrice(l.price), title: 'Use this price' }, l.price);
    return side === 'sell'
      ? el('tr', { class: 'ask', dataset: { price: l.price } }, el('td'), el('td'), el('td'), priceCell,
        el('td', {}, l.qty), el('td', {}, l.count), el('td', { class: own ? 'own' : '' }, own ?? ''))
      : el('tr', { class: 'bid', dataset: { price: l.price } }, el('td', { class: own ? 'own' : '' }, own ?? ''),
        el('td', {}, l.count), el('td', {}, l.qty), priceCell, el('td'), el('td'), el('td'));
  };
  const spread = el('tr', { class: 'spread' }, el('td', { colspan: 7 }));
  const empty = asks.length + bids.length === 0 ? [el('tr', {}, el('td', { colspan: 7, class: 'hint' }, 'No resting orders'))] : [];
  fillRows(tbody, [...asks.map((l) => row('sell', l)), spread, ...bids.map((l) => row('buy', l)), ...empty]);
}

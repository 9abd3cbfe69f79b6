// The ticker strip: best bid and ask, last trade, 24h volume (ticker channel), mark and halt state (instruments).
import { el } from './dom.js';

export function renderTicker(node, symbol, tick, instrument) {
  const field = (label, value, cls) => el('div', { class: 'field' }, el('span', {}, label), el('strong', { class: cls }, value ?? '-'));
  node.replaceChildren(
    field('Symbol', symbol),
    field('Bid', tick?.bid ? `${tick.bid} × ${tick.bidQty}` : null, 'buy'),
    field('Ask', tick?.ask ? `${tick.ask} × ${tick.askQty}` : null, 'sell'),
    field('Last', tick?.last ?? instrument?.last),
    field('Mark', instrument?.mark),
    field('Volume 24h', tick?.volume24h),
    field('State', instrument?.halted ? 'HALTED' : 'trading', instrument?.halted ? 'sell' : 'buy'),
  );
}

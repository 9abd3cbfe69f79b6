// Instrument reference data (GET /api/v1/instruments): tick, lot, price band, mark, halt state. The halt state is
// kept current by the public status channel.
import { get } from './api.js';

export const instruments = new Map();
const listeners = new Set();

export async function loadInstruments() {
  const list = await get('/api/v1/instruments');
  instruments.clear();
  for (const i of list) instruments.set(i.symbol, i);
  changed();
  return list;
}

export function setHalted(symbol, halted) {
  const i = instruments.get(symbol);
  if (i && i.halted !== halted) { i.halted = halted; changed(); }
}

export function onInstruments(listener) { listeners.add(listener); }

function changed() { listeners.forEach((l) => l(instruments)); }

// What the order ticket may send for each order type and time in force, and the checks against the instrument's
// tick and lot made before anything is sent (the server checks again: docs/API.md, "Order types").
import { isPositive, onGrid, compare, parse } from './decimal.js';

const LIMIT_PRICE = new Set(['limit', 'stop_limit', 'take_profit_limit']);
const TRIGGER = new Set(['stop', 'stop_limit', 'take_profit', 'take_profit_limit']);

export const needsPrice = (type) => LIMIT_PRICE.has(type);
export const needsTrigger = (type) => TRIGGER.has(type);
/** Icebergs rest: GTC or GTD with a limit price. */
export const allowsDisplay = (type, tif) => LIMIT_PRICE.has(type) && (tif === 'gtc' || tif === 'gtd');
/** Post-only: a limit-priced order that rests (not IOC or FOK). */
export const allowsPostOnly = (type, tif) => LIMIT_PRICE.has(type) && tif !== 'ioc' && tif !== 'fok';
/** The engine splits an iceberg into at most this many slices (OrderTypeRules.MaxIcebergSlices). */
const MAX_ICEBERG_SLICES = 100n;

/**
 * The request body for the ticket's values, or the problems found: { body } or { errors: { field: message } }.
 * values: { symbol, side, type, tif, price, qty, triggerPrice, displayQty, expireTime (Date|null), stp, postOnly, clientOrderId }
 */
export function buildOrder(values, instrument, now = new Date()) {
  const errors = {};
  const { type, tif } = values;
  const body = { symbol: values.symbol, side: values.side, type, tif, qty: values.qty };
  if (!instrument) errors.symbol = 'Unknown symbol';
  const tick = instrument?.tick, lot = instrument?.lot;
  if (!isPositive(values.qty)) errors.qty = 'Enter a quantity above zero';
  else if (lot && !onGrid(values.qty, lot)) errors.qty = `Quantity must be a multiple of the lot ${lot}`;
  if (needsPrice(type)) {
    if (!isPositive(values.price)) errors.price = 'Enter a limit price above zero';
    else if (tick && !onGrid(values.price, tick)) errors.price = `Price must be a multiple of the tick ${tick}`;
    else body.price = values.price;
  }
  if (needsTrigger(type)) {
    if (!isPositive(values.triggerPrice)) errors.triggerPrice = 'Enter a trigger price above zero';
    else if (tick && !onGrid(values.triggerPrice, tick)) errors.triggerPrice = `Trigger price must be a multiple of the tick ${tick}`;
    else body.triggerPrice = values.triggerPrice;
  }
  if (type === 'market' && tif === 'gtd') errors.tif = 'A market order cannot be good till date';
  else if (tif === 'gtd') {
    if (!(values.expireTime instanceof Date) || Number.isNaN(values.expireTime.getTime())) errors.expireTime = 'GTD needs an expire time';
    else if (values.expireTime <= now) errors.expireTime = 'The expire time must be in the future';
    else body.expireTime = values.expireTime.toISOString();
  }
  if (values.displayQty) {
    if (!allowsDisplay(type, tif)) errors.displayQty = 'Display quantity needs a resting limit order (GTC or GTD)';
    else if (!isPositive(values.displayQty) || (lot && !onGrid(values.displayQty, lot))) errors.displayQty = `Display quantity must be a positive multiple of the lot ${lot}`;
    else if (!errors.qty && compare(values.displayQty, values.qty) > 0) errors.displayQty = 'Display quantity cannot exceed the quantity';
    else if (!errors.qty && parse(values.qty) > parse(values.displayQty) * MAX_ICEBERG_SLICES) errors.displayQty = 'Display quantity must be at least 1/100 of the quantity';
    else body.displayQty = values.displayQty;
  }
  if (values.postOnly) {
    if (!allowsPostOnly(type, tif)) errors.postOnly = 'Post only needs a resting limit order';
    else body.postOnly = true;
  }
  if (values.stp && values.stp !== 'none') body.stp = values.stp;
  if (values.clientOrderId) {
    if (!/^[!-~]{1,64}$/.test(values.clientOrderId)) errors.clientOrderId = 'Client order id: 1 to 64 printable ASCII characters, no spaces';
    else body.clientOrderId = values.clientOrderId;
  }
  return Object.keys(errors).length ? { errors } : { body };
}

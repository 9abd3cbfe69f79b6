// What the API's error codes mean to a trader or an operator (docs/API.md). Unknown codes show the server's message.

const MEANINGS = {
  price_band: 'Price outside the instrument\'s price band around the reference price',
  max_position: 'The order would take the position beyond the account\'s maximum position',
  max_qty: 'Quantity above the account\'s maximum order quantity',
  max_notional: 'Order value above the account\'s maximum order notional',
  max_open_orders: 'Too many open orders for this account',
  credit_limit: 'Not enough credit for this order',
  no_reference_price: 'No reference price yet for this instrument: market orders and price bands need one',
  duplicate_id: 'This order id was already used',
  invalid_order_type: 'This order type is not valid here',
  shutting_down: 'The exchange is shutting down: it takes no more orders',
  rate_limited: 'Too many requests: slow down and retry in a moment',
  login_locked: 'Too many failed sign-ins: wait before trying again',
  instrument_halted: 'Trading in this instrument is halted',
  account_disabled: 'This account is disabled',
  post_only_would_trade: 'Post-only order would have traded immediately',
  would_trigger_immediately: 'The trigger price has already been reached',
  invalid_price: 'Price is not on the tick grid',
  invalid_qty: 'Quantity is not on the lot grid',
  invalid_trigger_price: 'Trigger price is not valid',
  invalid_display_qty: 'Display quantity is not valid for an iceberg',
  invalid_expire_time: 'Expire time must be in the future (GTD orders only)',
  duplicate_client_order_id: 'This client order id was already used',
  unknown_order: 'The order is no longer open',
  not_found: 'Not found',
  unauthorized: 'Not signed in, or the session ended',
  forbidden: 'Your role does not allow this',
  overloaded: 'The exchange is busy: retry',
  not_leader: 'This node does not take orders (not the replication leader)',
  journal_failed: 'The order was not acknowledged (journal failure)',
  timeout: 'The exchange did not answer in time',
  self_trade: 'Self-trade prevention canceled the order',
  fok_unfilled: 'Fill-or-kill order could not be filled completely',
};

/** "Price outside the ... (price_band)" - the meaning, then the code, so a user can quote it to support. */
export function describe(error) {
  const code = error?.code ?? 'error';
  const meaning = MEANINGS[code] ?? error?.message ?? 'Request failed';
  return `${meaning} (${code})`;
}

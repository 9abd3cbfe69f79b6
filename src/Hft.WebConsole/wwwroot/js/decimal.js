// Exact decimal strings (the API never uses binary floats for prices and quantities): parse to a scaled BigInt,
// compare and check grid steps (tick, lot) without rounding.

const SCALE = 18;
const PATTERN = /^\d+(\.\d+)?$/;

/** The decimal text as an integer count of 1e-18 units, or null when it is not a plain non-negative decimal. */
export function parse(text) {
  const t = String(text ?? '').trim();
  if (!PATTERN.test(t)) return null;
  const [whole, fraction = ''] = t.split('.');
  if (fraction.length > SCALE) return null;
  return BigInt(whole + fraction.padEnd(SCALE, '0'));
}

export const isPositive = (text) => { const v = parse(text); return v !== null && v > 0n; };

/** True when the value is a whole multiple of the step (both decimal strings). */
export function onGrid(text, step) {
  const v = parse(text), s = parse(step);
  return v !== null && s !== null && s > 0n && v % s === 0n;
}

export function compare(a, b) {
  const x = parse(a), y = parse(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A number for drawing only (charts, bars), never for arithmetic the server checks. */
export const approx = (text) => Number(text);

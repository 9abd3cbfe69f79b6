// Draws candles (upper 75%) and volume bars (lower 25%) on a canvas, scaled to the device's pixels.

const COLORS = { up: '#2ebd85', down: '#f0616d', grid: '#26313d', text: '#8393a3' };

export function drawChart(canvas, candles) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = COLORS.text;
  if (candles.length === 0) {
    g.fillText('No trades yet', 12, 20);
    return;
  }
  const axis = 64, priceHeight = height * 0.72, volumeTop = height * 0.78, plotWidth = width - axis;
  const high = Math.max(...candles.map((c) => c.high)), low = Math.min(...candles.map((c) => c.low));
  const pad = (high - low) * 0.08 || high * 0.001 || 1;
  const top = high + pad, bottom = low - pad;
  const y = (p) => 8 + ((top - p) / (top - bottom)) * (priceHeight - 8); // 8 px for the top label
  const maxVolume = Math.max(...candles.map((c) => c.volume)) || 1;
  const step = plotWidth / Math.max(candles.length, 30);
  const body = Math.max(1, step * 0.6);

  g.strokeStyle = COLORS.grid;
  for (let i = 0; i <= 4; i++) {
    const price = bottom + ((top - bottom) * i) / 4;
    const py = y(price);
    g.beginPath(); g.moveTo(0, py); g.lineTo(plotWidth, py); g.stroke();
    g.fillText(price.toFixed(2), plotWidth + 4, py + 4);
  }
  candles.forEach((c, i) => {
    const x = plotWidth - (candles.length - i) * step + step / 2;
    const color = c.close >= c.open ? COLORS.up : COLORS.down;
    g.strokeStyle = g.fillStyle = color;
    g.beginPath(); g.moveTo(x, y(c.high)); g.lineTo(x, y(c.low)); g.stroke();
    const a = y(Math.max(c.open, c.close)), b = y(Math.min(c.open, c.close));
    g.fillRect(x - body / 2, a, body, Math.max(1, b - a));
    const vh = (c.volume / maxVolume) * (height - volumeTop);
    g.globalAlpha = 0.5;
    g.fillRect(x - body / 2, height - vh, body, vh);
    g.globalAlpha = 1;
  });
  g.fillStyle = COLORS.text;
  g.fillText(`vol ${maxVolume.toPrecision(4)}`, plotWidth + 4, volumeTop + 10);
}

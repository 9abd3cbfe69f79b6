-- wrk script: POST /api/v1/orders as fast as the connections allow.
-- Thread 1 is account A1 and only buys at 50,000.00..50,019.00; thread 2 is account A2 and only sells at
-- 49,981.00..50,000.00, so every order crosses whatever the other side left resting (the book stays thin) and all
-- prices are well inside BTCUSD's 10% band around the 50,000 mark. GTC limit orders of 0.001 BTC.
-- Tokens come from the environment: HFT_BENCH_TOKEN_A1 and HFT_BENCH_TOKEN_A2 (see run.sh).
-- Run with 2 threads (-t 2); more threads reuse the two accounts alternately.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local buyer = (id % 2) == 1
  side = buyer and "buy" or "sell"
  step = buyer and 1 or -1
  local token = os.getenv(buyer and "HFT_BENCH_TOKEN_A1" or "HFT_BENCH_TOKEN_A2")
  if token == nil or token == "" then
    error("set HFT_BENCH_TOKEN_A1 and HFT_BENCH_TOKEN_A2 (bench/rest/run.sh does)")
  end
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  n = 0
  -- Pre-build the 20 request variants (one per price) so request() only picks one.
  variants = {}
  for i = 0, 19 do
    local body = string.format('{"symbol":"BTCUSD","side":"%s","type":"limit","tif":"gtc","price":"%d.00","qty":"0.001"}',
      side, 50000 + step * i)
    variants[i] = wrk.format("POST", "/api/v1/orders", headers, body)
  end
end

function request()
  n = n + 1
  return variants[n % 20]
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write("------------------------------\n")
  io.write(string.format("requests      %d in %.2f s\n", summary.requests, secs))
  io.write(string.format("orders/s      %.0f (all responses)\n", summary.requests / secs))
  io.write(string.format("non-2xx       %d\n", summary.errors.status))
  io.write(string.format("socket errors connect %d, read %d, write %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("accepted/s    %.0f (2xx only)\n", (summary.requests - summary.errors.status) / secs))
  io.write("latency (us)  ")
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s=%d ", p, latency:percentile(p)))
  end
  io.write(string.format("max=%d mean=%.0f\n", latency.max, latency.mean))
end

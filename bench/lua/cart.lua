-- PUT /v1/cart/items/{product} paced to a fixed total rate (issue 17's "5,000 cart changes per second"): each wrk
-- thread sends its share, request k at start + k / share seconds, so the rate holds whatever the number of
-- connections (wrk's delay() is asked before each request; LuaJIT's FFI gives the wall clock). Tokens and products
-- come from the Lua file buyers.py wrote; each thread rotates through its own half of the tokens and over the first
-- 20 products, quantities 1–3, so carts stay small and every change is a real cart.updated.
-- Usage: wrk -t2 -c64 -s cart.lua URL -- buyers.lua THREADS RATE
local ffi = require("ffi")
ffi.cdef[[
  typedef struct { long tv_sec; long tv_nsec; } timespec_t;
  int clock_gettime(int clock, timespec_t *ts);
]]
local ts = ffi.new("timespec_t")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  dofile(args[1])
  local nthreads = tonumber(args[2] or "2")
  interval = 1000 * nthreads / tonumber(args[3] or "5000")   -- ms between this thread's requests
  mine = {}
  for k = tid + 1, #tokens, nthreads do table.insert(mine, tokens[k]) end
  n = 0
  scheduled = 0
  start = nil
end
function delay()
  start = start or now_ms()
  local due = start + scheduled * interval
  scheduled = scheduled + 1
  local wait = due - now_ms()
  return wait > 0 and wait or 0
end
function request()
  n = n + 1
  local product = products[(n * 7 + tid) % math.min(#products, 20) + 1]
  local body = '{"quantity":' .. (n % 3 + 1) .. '}'
  return wrk.format("PUT", "/v1/cart/items/" .. product, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. mine[(n % #mine) + 1],
  }, body)
end

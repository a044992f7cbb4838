-- POST /v1/orders for 64 buyers: each wrk thread owns its own half of the tokens (from the Lua file given after
-- `--`) and rotates through them, so no two requests in flight belong to the same buyer as long as there are at
-- least as many tokens as connections. Two lines of quantity 1 on rotating products; no Idempotency-Key.
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  dofile(args[1])
  n = 0
  mine = {}
  local nthreads = tonumber(args[2] or "2")
  for k = tid + 1, #tokens, nthreads do table.insert(mine, tokens[k]) end
end
function request()
  n = n + 1
  local a = products[((n * 7 + tid * 13) % #products) + 1]
  local b = products[((n * 7 + tid * 13 + 3) % #products) + 1]
  local body = '{"items":[{"product_id":"' .. a .. '","quantity":1},{"product_id":"' .. b .. '","quantity":1}]}'
  return wrk.format("POST", "/v1/orders", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. mine[(n % #mine) + 1],
  }, body)
end

-- GET /v1/products/{id}, rotating through the ids of the Lua file given after `--` (a table `ids`); a second
-- argument is appended to the path (`/recommendations` asks for a product's recommendations).
-- Each thread starts at a different place so the two wrk threads do not ask for the same product at once.
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
function init(args)
  dofile(args[1])
  suffix = args[2] or ""
  i = offset or 0
end
function request()
  i = i + 1
  return wrk.format("GET", "/v1/products/" .. ids[(i % #ids) + 1] .. suffix)
end

-- GET /v1/products?q=…, rotating through the queries of the Lua file given after `--` (a table `queries`,
-- already percent-encoded): common and rare words, prefixes, accent-folded spellings and two-word queries.
local counter = 0
function setup(thread)
  thread:set("offset", counter * 7)
  counter = counter + 1
end
function init(args)
  dofile(args[1])
  i = offset or 0
end
function request()
  i = i + 1
  return wrk.format("GET", "/v1/products?q=" .. queries[(i % #queries) + 1] .. "&limit=20")
end

-- POST /v1/live-sessions/{id}/likes {"count":1} as one signed-in viewer: args after `--` are SESSION_ID TOKEN.
function init(args)
  path = "/v1/live-sessions/" .. args[1] .. "/likes"
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2]}
end
function request()
  return wrk.format("POST", path, headers, '{"count":1}')
end

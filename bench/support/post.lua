-- wrk script: POST a JSON body with a bearer token, for the remediation bench.
-- Arguments after `--`: TOKEN BODY, where BODY may hold "%d": it is replaced by 1..1024,
-- cycling, so that consecutive requests carry different parameters.
local token, body, counter = "", "{}", 0

function init(args)
  token = args[1] or ""
  body = args[2] or "{}"
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local b = body
  if string.find(body, "%%d") then b = string.format(body, counter % 1024 + 1) end
  return wrk.format(nil, nil, nil, b)
end

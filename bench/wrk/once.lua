-- Quiz submissions: each prepared request (one open attempt) is sent once, in order. When this
-- thread's share runs out it notes the time and sends only GET /healthz until wrk ends (a
-- stopped thread would leave connections open that block gunicorn's sync workers). done()
-- leaves those out: the rate is the submissions over the time from the first request until
-- the last thread ran out.
package.path = "bench/wrk/?.lua;" .. package.path
local common = require("common")

setup, response, done = common.setup, common.response, common.done
local requests, next_one, healthz = {}, 0, nil

function init(args)
  for _, row in ipairs(common.start(args)) do table.insert(requests, common.format(row)) end
  healthz = wrk.format("GET", "/healthz", {["User-Agent"] = common.user_agent})
end

function request()
  next_one = next_one + 1
  if next_one == 1 then started_us = common.now_us() end
  if next_one > #requests then
    if exhausted == 0 then
      exhausted = 1
      ended_us = common.now_us()
    end
    return healthz
  end
  return requests[next_one]
end

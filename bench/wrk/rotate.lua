-- Round-robin over the prepared requests (pages, autosave, the hello-world ceiling): each
-- request goes to the next trainee of this thread's share, so no single row is hot.
package.path = "bench/wrk/?.lua;" .. package.path
local common = require("common")

setup, response, done = common.setup, common.response, common.done
local requests, next_one = {}, 0

function init(args)
  for _, row in ipairs(common.start(args)) do table.insert(requests, common.format(row)) end
end

function request()
  next_one = next_one % #requests + 1
  return requests[next_one]
end

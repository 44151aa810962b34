-- Heartbeats, round-robin over trainees. Each thread is one tab per run (TAG and its id) whose
-- beat numbers only grow, so no beat is refused as a repeat: each one is stored and credited.
package.path = "bench/wrk/?.lua;" .. package.path
local common = require("common")

setup, response, done = common.setup, common.response, common.done
local rows, next_one, seq, tab = {}, 0, 0, ""

function init(args)
  rows = common.start(args)
  tab = "bench" .. args[4] .. "t" .. id
end

function request()
  next_one = next_one % #rows + 1
  seq = seq + 1
  return common.format(rows[next_one], string.format('{"tab":"%s","seq":%d}', tab, seq))
end

-- Shared by the throughput bench's wrk scripts (bench/throughput_wrk.py runs them):
--   wrk -t2 -c32 -d10s -s bench/wrk/<script>.lua URL -- DATA EXPECTED THREADS TAG
-- DATA has one request per line, tab-separated: method, path, cookie, CSRF token,
-- content type, body (see bench/throughput_world.py). Thread n of THREADS takes lines
-- n, n + THREADS, ... so the two threads never share a trainee's row. Every response whose
-- status is not EXPECTED is counted by status; done() prints one "wrk-result" line.

local common = {}
local threads = {}

-- Headers as the browser that signed in sent them: the same User-Agent keeps flask-login's
-- session protection quiet (a different one would rewrite the cookie on every response).
common.user_agent = "lms-throughput-bench"

function common.setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function common.headers(cookie, csrf, content_type)
  local headers = {["User-Agent"] = common.user_agent, ["Accept-Language"] = "zh-CN"}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if csrf ~= "" then headers["X-CSRFToken"] = csrf end
  if content_type ~= "" then
    headers["Content-Type"] = content_type
    if content_type == "application/json" then headers["Accept"] = "application/json" end
  end
  return headers
end

-- This thread's share of DATA: a list of {method, path, cookie, csrf, type, body}. With
-- fewer lines than threads (the hello world's one request) every thread takes them all.
function common.load(path, thread_id, thread_count)
  local rows, all = {}, {}
  for line in io.lines(path) do
    if line ~= "" then
      table.insert(all, split(line))
      if (#all - 1) % thread_count == thread_id - 1 then table.insert(rows, all[#all]) end
    end
  end
  if #all < thread_count then return all end
  return rows
end

function common.format(row, body)
  return wrk.format(row[1], row[2], common.headers(row[3], row[4], row[5]), body or row[6])
end

-- Call from init(args): the globals response() and done() read.
function common.start(args)
  expected = tonumber(args[2])
  statuses = {}
  unexpected = 0
  exhausted = 0
  after = 0  -- once.lua's /healthz answers after its share ran out
  return common.load(args[1], id, tonumber(args[3]))
end

function common.response(status, headers, body)
  if exhausted == 1 and status == 200 and expected ~= 200 then
    after = after + 1
  elseif status ~= expected then
    unexpected = unexpected + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

-- The wall clock in microseconds (LuaJIT has none finer than a second): for once.lua's
-- start and end, a few calls a run.
function common.now_us()
  local clock = io.popen("date +%s%6N")
  local now = tonumber(clock:read("*l"))
  clock:close()
  return now
end

function common.done(summary, latency, requests)
  local unexpected_total, exhausted_total, after_total, seen = 0, 0, 0, {}
  local first, last = nil, nil  -- once.lua: when sending began, and when the last share ran out
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + thread:get("unexpected")
    exhausted_total = exhausted_total + thread:get("exhausted")
    after_total = after_total + thread:get("after")
    local started, ended = thread:get("started_us"), thread:get("ended_us")
    if started and (not first or started < first) then first = started end
    if ended and (not last or ended > last) then last = ended end
    for status, count in pairs(thread:get("statuses")) do
      seen[status] = (seen[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(seen) do table.insert(parts, status .. ":" .. count) end
  local e = summary.errors
  local duration = summary.duration
  if exhausted_total == #threads and first and last then duration = last - first end
  io.write(string.format(
    "wrk-result requests=%d duration_us=%d status_errors=%d socket_errors=%d " ..
    "timeouts=%d unexpected=%d exhausted=%d latency_p50_us=%d latency_p99_us=%d " ..
    "statuses=%s\n",
    summary.requests - after_total, duration, e.status, e.connect + e.read + e.write, e.timeout,
    unexpected_total, exhausted_total, latency:percentile(50), latency:percentile(99),
    table.concat(parts, ",")))
end

return common

-- wrk script for bench/run.sh: POST the chat-completion body in the file named by BENCH_BODY.
-- Headers (Authorization, Portkey's x-portkey-*) come from wrk's -H options.
--
-- With BENCH_RATE set (requests per second), requests are paced: one schedule for all of the thread's
-- connections, a slot every 1/BENCH_RATE s, and each connection waits, before each request, for the next
-- free slot (wrk calls delay() then, and its timers have whole milliseconds: at 5,000 req/s about five
-- requests leave in each millisecond). A connection never waits for the others, so arrivals stay spread
-- evenly whatever the answers' times; when every connection is busy, a late slot is sent at once and the
-- achieved rate shows any shortfall. wrk times a request from its write, after the wait.
local path = os.getenv("BENCH_BODY")
local file = assert(io.open(path, "rb"), "BENCH_BODY: cannot open " .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

local rate = os.getenv("BENCH_RATE")
if rate and rate ~= "" then
  local period_ms = 1000 / assert(tonumber(rate), "BENCH_RATE: not a number: " .. rate)
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock_id, bench_timespec *tp);
  ]]
  local CLOCK_MONOTONIC = 1
  local now = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
    return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
  end
  local next_slot

  function delay()
    local t = now_ms()
    next_slot = next_slot or t
    local wait = next_slot - t
    next_slot = next_slot + period_ms
    if wait <= 0 then
      return 0
    end
    return math.floor(wait + 0.5)
  end
end

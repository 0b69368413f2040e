-- wrk script for bench/run.sh: POST the chat-completion body in the file named by BENCH_BODY.
-- Headers (Authorization, Portkey's x-portkey-*) come from wrk's -H options.
local path = os.getenv("BENCH_BODY")
local file = assert(io.open(path, "rb"), "BENCH_BODY: cannot open " .. tostring(path))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

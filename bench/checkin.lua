-- wrk: POST a check-in per request with a random token of the data set
-- (tokens.txt: "event_id token" per line) and a fresh nonce.
local tokens = {}
local token_file = os.getenv("BENCH_TOKENS")
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local counter = 0
local thread_id = 0

function setup(thread)
	thread_id = thread_id + 1
	thread:set("tid", thread_id)
end

function init(args)
	for line in io.lines(token_file) do
		local ev, tok = line:match("^(%d+) (%S+)$")
		tokens[#tokens + 1] = { ev, tok }
	end
	math.randomseed(os.time() + (tid or 0) * 7919)
end

function request()
	counter = counter + 1
	local t = tokens[math.random(#tokens)]
	local body = '{"token":"' .. t[2] .. '","desk":"bench","nonce":"wrk-' ..
		(tid or 0) .. '-' .. os.time() .. '-' .. counter .. '"}'
	return wrk.format("POST", "/api/v1/events/" .. t[1] .. "/checkins",
		{ ["Authorization"] = auth, ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
	io.write(string.format("BENCH p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status, summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout))
end

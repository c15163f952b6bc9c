-- wrk: one application per request on the public form (POST
-- /apply/events/{id}), each a different person: katakana made from a
-- counter, so none is refused as already registered.
-- BENCH_EVENT, BENCH_NONCE (the form cookie), BENCH_CSRF, BENCH_PURPOSE,
-- BENCH_RUN (a different person in each run).
local event = os.getenv("BENCH_EVENT")
local cookie = "jf_form=" .. os.getenv("BENCH_NONCE")
local fixed = "csrf=" .. os.getenv("BENCH_CSRF") .. "&purpose_id=" ..
	os.getenv("BENCH_PURPOSE") .. "&age=40&consent=yes&name=%E5%B1%B1%E5%8F%A3"
local digits = { "%E3%82%A2", "%E3%82%A4", "%E3%82%A6", "%E3%82%A8", "%E3%82%AA",
	"%E3%82%AB", "%E3%82%AD", "%E3%82%AF", "%E3%82%B1", "%E3%82%B3" }
local run = tonumber(os.getenv("BENCH_RUN") or "0")
local counter = 0
local thread_id = 0

function setup(thread)
	thread_id = thread_id + 1
	thread:set("tid", thread_id)
end

local function kana(n)
	local s = ""
	repeat
		s = digits[n % 10 + 1] .. s
		n = math.floor(n / 10)
	until n == 0
	return s
end

function request()
	counter = counter + 1
	local body = fixed .. "&name_kana=" .. kana(run * 10000000000 + (tid or 0) * 100000000 + counter)
	return wrk.format("POST", "/apply/events/" .. event,
		{ ["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function done(summary, latency, requests)
	io.write(string.format("BENCH p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status, summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout))
end

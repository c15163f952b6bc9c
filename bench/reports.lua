-- wrk: a report per request, as an office full of clerks would ask for
-- them: the fiscal year's 目標値一覧 (JSON, CSV, .xlsx) of one of ten
-- years and an event's post-event report (JSON, .xlsx), at random.
-- BENCH_TOKEN: a viewer's token; BENCH_EVENTS: the highest event id.
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local events = tonumber(os.getenv("BENCH_EVENTS"))
local thread_id = 0

function setup(thread)
	thread_id = thread_id + 1
	thread:set("tid", thread_id)
end

function init(args)
	math.randomseed(os.time() + (tid or 0) * 104729)
end

local formats = { "", "?format=csv", "?format=xlsx" }

function request()
	local path
	if math.random(2) == 1 then
		path = "/api/v1/reports/fiscal-year/" .. math.random(2015, 2024) ..
			formats[math.random(#formats)]
	else
		path = "/api/v1/events/" .. math.random(events) .. "/report" ..
			formats[1 + 2 * (math.random(2) - 1)]
	end
	return wrk.format("GET", path, { ["Authorization"] = auth })
end

function done(summary, latency, requests)
	io.write(string.format("BENCH p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.errors.status, summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout))
end

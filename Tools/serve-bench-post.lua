-- wrk script of `Tools/bench serve`: POSTs one command per request to /v1/commands, a distinct command
-- each time. The commands file has lines "ACTOR<TAB>JSON"; thread k of T takes the lines k, k+T, k+2T...
-- and sends them in order (it starts over only when its share runs out, counted as `wraps`: a command
-- sent twice is answered from the first result, or refused, so the bench sizes the file to avoid it).
--
-- Environment (set by Tools/serve-bench.py):
--   SERVE_BENCH_COMMANDS  the commands file
--   SERVE_BENCH_OUT       where done() writes its figures (JSON)
--   SERVE_BENCH_THREADS   wrk's -t
--   SERVE_BENCH_KEY       optional: one API key sent with every request (an operator or `system` key)
--   SERVE_BENCH_KEYS      optional: a file of lines "ACTOR KEY", a key per actor (wins over SERVE_BENCH_KEY)

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("SERVE_BENCH_COMMANDS")
  local nthreads = tonumber(os.getenv("SERVE_BENCH_THREADS") or "1")
  local one_key = os.getenv("SERVE_BENCH_KEY")
  local keys = {}
  local key_file = os.getenv("SERVE_BENCH_KEYS")
  if key_file and key_file ~= "" then
    for line in io.lines(key_file) do
      local actor, key = line:match("^(%S+)%s+(%S+)")
      if actor then keys[actor] = key end
    end
  end
  requests = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then
      local tab = line:find("\t", 1, true)
      local actor, body = line:sub(1, tab - 1), line:sub(tab + 1)
      local headers = { ["Content-Type"] = "application/json" }
      local key = keys[actor] or one_key
      if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
      requests[#requests + 1] = wrk.format("POST", "/v1/commands", headers, body)
    end
    i = i + 1
  end
  index = 0
  ok = 0
  failed = 0
  wraps = 0
  shown = 0
  codes = ""
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    wraps = wraps + 1
  end
  return requests[index]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    failed = failed + 1
    if shown < 3 then
      shown = shown + 1
      codes = codes .. status .. " " .. (body or ""):sub(1, 300):gsub("[\r\n\"\\]", " ") .. " | "
    end
  end
end

function done(summary, latency, requests)
  local ok_total, failed_total, wraps_total, sample = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    ok_total = ok_total + (thread:get("ok") or 0)
    failed_total = failed_total + (thread:get("failed") or 0)
    wraps_total = wraps_total + (thread:get("wraps") or 0)
    sample = sample .. (thread:get("codes") or "")
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("SERVE_BENCH_OUT"), "w"))
  out:write(string.format(
    '{"duration_us":%d,"requests":%d,"ok":%d,"non200":%d,"wraps":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f,"sample":"%s"}\n',
    summary.duration, summary.requests, ok_total, failed_total, wraps_total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean, sample))
  out:close()
end

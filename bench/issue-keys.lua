-- wrk script: issue a secret key per request. TOKEN is an org_admin JWT.
wrk.method = "POST"
wrk.body = '{"name":"bench key"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")

-- TARGETS (set by bench/issue-keys.sh with ORGS > 1): "path|token;path|token;...", one per
-- organization; requests go round robin over them, each with its organization's token.
local targets = {}
for path, token in string.gmatch(os.getenv("TARGETS") or "", "([^|;]+)|([^;]+)") do
  targets[#targets + 1] = { path, "Bearer " .. token }
end
local sent = 0

if #targets > 0 then
  function request()
    sent = sent + 1
    local target = targets[(sent % #targets) + 1]
    wrk.headers["Authorization"] = target[2]
    return wrk.format("POST", target[1], wrk.headers, wrk.body)
  end
end

local created = 0
local other = 0

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_s=%.1f keys_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end

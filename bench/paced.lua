-- wrk script: each connection waits DELAY_MS (environment, default 10) before its next request, so
-- C connections offer at most C * 1000 / (DELAY_MS + latency) requests per second. The achieved rate
-- is what wrk reports; bench/revoke-under-load.sh checks it.
local pause = tonumber(os.getenv("DELAY_MS") or "10")
function delay()
  return pause
end

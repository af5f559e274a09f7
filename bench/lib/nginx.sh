# nginx peers for the benchmarks, on loopback, one worker (as the issue-14 figures were taken).
# Source it; `nginx_start DIR PORT 'location body'` writes DIR/nginx.conf and starts nginx in the
# foreground in the background (NGINX_PID); `nginx_stop` ends it. Examples of a location body:
#   'return 200;'
#   'proxy_pass http://upstream_under_test; proxy_http_version 1.1; proxy_set_header Connection "";'
# NGINX_UPSTREAM (host:port) adds `upstream upstream_under_test { server ...; keepalive 32; }`.
NGINX_PID=""
nginx_start() {
  local dir="$1" port="$2" body="$3" upstream=""
  command -v nginx >/dev/null || { echo "nginx missing: apt-get install -y nginx" >&2; return 2; }
  mkdir -p "$dir"
  [ -n "${NGINX_UPSTREAM:-}" ] && upstream="upstream upstream_under_test { server $NGINX_UPSTREAM; keepalive 32; }"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes ${NGINX_WORKERS:-1};
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    $upstream
    server {
        listen 127.0.0.1:$port;
        location / { $body }
    }
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" &
  NGINX_PID=$!
  local i
  for i in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  echo "nginx did not answer on $port; see $dir/error.log" >&2
  return 1
}

nginx_stop() {
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -QUIT "$NGINX_PID"
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  NGINX_PID=""
}

# wrk_field FILE -> prints "rps p99 requests non2xx errors" from wrk --latency output.
wrk_fields() {
  awk '/Requests\/sec/ {rps=$2} $1=="99%" {p99=$2} / requests in / {req=$1}
       /Non-2xx/ {non=$NF} /Socket errors/ {gsub(",", ""); err=$4+$6+$8+$10}
       END {printf "%s %s %s %s %s\n", rps+0, (p99==""?"-":p99), req+0, non+0, err+0}' "$1"
}

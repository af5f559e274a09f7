#!/usr/bin/env bash
# Runs the auth-edge's nginx test: a real nginx configured with exactly keyledger-http.conf and
# keyledger-server.conf from this directory, in front of a test API, asking a real edge (with an
# in-process Kafka broker) through auth_request. Asserts 200, 401, 403, 400, 429 with Retry-After
# and 503 with Retry-After, each with the contract's JSON, as the client sees them.
# Needs nginx (Debian/Ubuntu: apt-get install -y nginx) and a JDK 21+ (JAVA_HOME or the default
# below). Without nginx the test is skipped and this script fails, saying so.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "nginx is not installed: apt-get install -y nginx" >&2
  exit 2
fi
cd "$root"
./mvnw -B -ntp -q -pl auth-edge -am test \
  -Dtest=NginxForwardAuthIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false
report=auth-edge/target/surefire-reports/TEST-dev.keyledger.edge.web.NginxForwardAuthIntegrationTest.xml
grep -o 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' "$report"
if grep -q 'skipped="[1-9]' "$report"; then
  echo "the nginx test was skipped" >&2
  exit 1
fi
echo "nginx auth_request: every status carried through"

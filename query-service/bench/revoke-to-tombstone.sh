#!/usr/bin/env bash
# The query-service's share of revoke lag: ack of an api_key.revoked record on keyledger.key-events
# -> tombstone seen on keyledger.active-keys, REVOKES revokes one at a time (default 200).
# Writes query-service/target/benchmark-revoke-to-tombstone.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
REVOKES=${REVOKES:-200}
./mvnw -B -q -pl query-service -am test \
  -Dtest=RevokeToTombstoneBenchmarkIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyledger.benchmark.revokes="$REVOKES" -Dspotless.check.skip=true
cat query-service/target/benchmark-revoke-to-tombstone.txt

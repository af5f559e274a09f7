#!/usr/bin/env bash
# End-to-end revoke lag: DELETE answer (command-service) -> tombstone on keyledger.active-keys.
# Needs a running standalone (bin/standalone) with the dev
# IdP on 8090, command-service on 8081 and Kafka on 9092. KEYS revokes (default 200), one at a time.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
KEYS=${KEYS:-200}
./mvnw -B -q -pl query-service -am -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
"$JAVA_HOME/bin/java" \
  -cp "query-service/target/test-classes:query-service/target/classes:$(cat query-service/target/bench.classpath)" \
  -Dkeys="$KEYS" \
  -Didp="${IDP:-http://localhost:8090}" -Dcommands="${COMMANDS:-http://localhost:8081}" -Dkafka="${KAFKA:-localhost:9092}" \
  dev.keyledger.query.bench.RevokeLagBenchmark

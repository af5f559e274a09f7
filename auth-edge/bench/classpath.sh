#!/usr/bin/env bash
# Builds the edge's test classes and prints a classpath with them, for the benchmark mains.
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -B -q -pl auth-edge -am -Dspotless.check.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
echo "$root/auth-edge/target/test-classes:$root/auth-edge/target/classes:$(cat "$root/auth-edge/target/test-classpath.txt")"

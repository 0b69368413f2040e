#!/usr/bin/env bash
# usage-streams on this machine, exactly-once as in production, on the embedded broker: how many usage events
# per second it sustains through every branch (minutes, daily spend, budgets), and the time from a request's
# end to its cost showing in /v1/spend. Not a test: CI never runs it.
#
#   bench/usage-streams.sh [events (1000000)] [probes (200)]
#   TOLLWAY_USAGE_PRE_AGGREGATION=0ms TOLLWAY_KAFKA_MAX_POLL_RECORDS=5000 bench/usage-streams.sh   # tuned
#   JAVA_OPTS=-Dbench.budgets=false bench/usage-streams.sh                                       # no budgets
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl e2e -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
java -Xmx1g ${JAVA_OPTS:-} -Dlogback.configurationFile=bench/usage-streams-logback.xml \
  -cp "e2e/target/test-classes:$(cat e2e/target/bench-classpath.txt)" \
  dev.tollway.e2e.bench.UsageStreamsBenchmark "$@"

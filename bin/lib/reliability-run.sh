# Sourced by bin/chaos and bin/soak: runs a main class of the triage module's test code (reliability/chaos) with
# the packaged service next to it.
#   run_reliability MAIN_CLASS [ARGS...]
# Builds the service and its test classes when either is missing, and the classpath when the pom changed.
run_reliability() {
  local main="$1"
  shift
  local module=services/triage
  cd "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [ ! -f "$module/target/quarkus-app/quarkus-run.jar" ] \
      || [ ! -f "$module/target/test-classes/${main//.//}.class" ]; then
    echo "Building the service and its test classes..." >&2
    ./mvnw -B -q install -DskipTests -pl "$module" -am >&2
  fi
  if [ ! -f "$module/target/chaos-classpath.txt" ] || [ "$module/pom.xml" -nt "$module/target/chaos-classpath.txt" ]; then
    ./mvnw -B -q -pl "$module" dependency:build-classpath -Dmdep.outputFile=target/chaos-classpath.txt >&2
  fi
  java -Xmx1g -Djava.util.logging.config.file="services/local-stack/src/main/resources/stack-logging.properties" \
    -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/chaos-classpath.txt")" \
    "$main" "$@"
}

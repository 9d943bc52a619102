# Sourced by bin/chaos and bin/soak: runs a main class of the triage module's test code (reliability/chaos) with
# the packaged service next to it.
#   run_reliability MAIN_CLASS [ARGS...]
# Builds the service and its test classes when either is missing or the pom changed (a new dependency, such as a
# library under libs/, must be installed before the classpath can name it), and the classpath when the pom
# changed; runs from a copy of them that is removed at the end.
run_reliability() {
  local main="$1"
  shift
  local module=services/triage
  cd "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [ ! -f "$module/target/quarkus-app/quarkus-run.jar" ] \
      || [ ! -f "$module/target/test-classes/${main//.//}.class" ] \
      || [ "$module/pom.xml" -nt "$module/target/chaos-classpath.txt" ]; then
    echo "Building the service and its test classes..." >&2
    ./mvnw -B -q install -DskipTests -pl "$module" -am >&2
  fi
  if [ ! -f "$module/target/chaos-classpath.txt" ] || [ "$module/pom.xml" -nt "$module/target/chaos-classpath.txt" ]; then
    ./mvnw -B -q -pl "$module" dependency:build-classpath -Dmdep.outputFile=target/chaos-classpath.txt >&2
  fi
  # A private copy of the service and the test classes: a rebuild of the module while a long run goes on (other work
  # in the same checkout) would otherwise take the jar away from the next restart.
  # Global, not local: the EXIT trap runs after the function has returned.
  reliability_snapshot="$(mktemp -d "${TMPDIR:-/tmp}/lesion-reliability.XXXXXX")"
  trap 'rm -rf "$reliability_snapshot"' EXIT
  cp -r "$module/target/quarkus-app" "$module/target/test-classes" "$module/target/classes" "$reliability_snapshot/"
  java -Xmx1g -Djava.util.logging.config.file="services/local-stack/src/main/resources/stack-logging.properties" \
    -Dreliability.service.jar="$reliability_snapshot/quarkus-app/quarkus-run.jar" \
    -cp "$reliability_snapshot/test-classes:$reliability_snapshot/classes:$(cat "$module/target/chaos-classpath.txt")" \
    "$main" "$@"
}

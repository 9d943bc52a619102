# Sourced by bin/simulate, bin/viewer and bin/compare: runs a main class of services/clinic-tools.
#   run_clinic_tool MAIN_CLASS TTY_FD [ARGS...]
# Builds the module on first use and whenever one of its sources, or of the libraries under libs/ it shares with
# the other modules, changed since the last build (the compiled main class is the stamp: classpath.txt is not
# rewritten when its content stays the same). TTY_FD is the file descriptor a person watches (1 or 2): output is
# redrawn in place only then, plain lines in logs and pipes.
run_clinic_tool() {
  local main="$1" tty_fd="$2"
  shift 2
  local root module classes classpath_file stamp tty=false
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  module=services/clinic-tools
  classes="$root/$module/target/classes"
  classpath_file="$root/$module/target/classpath.txt"
  stamp="$classes/${main//.//}.class"
  if [ ! -f "$classpath_file" ] || [ ! -f "$stamp" ] \
     || [ -n "$(find "$root/$module/src/main" "$root/$module/pom.xml" "$root/libs/triage-common/src/main" \
                  "$root/libs/test-fixtures/src/main" -newer "$stamp" -print -quit)" ]; then
    echo "Building $module..." >&2
    (cd "$root" && ./mvnw -B -q -pl "$module" -am install -DskipTests >&2)
  fi
  [ -t "$tty_fd" ] && tty=true
  exec java -Xmx1g -Djava.awt.headless=true -Dlesion.tty="$tty" -Dlesion.project.root="$root" \
    -cp "$classes:$(cat "$classpath_file")" "$main" "$@"
}

#!/usr/bin/env bash
# Runs the Tapis v3 EMULATOR (runners/test-support; it is not Tapis) in the foreground for a demo
# against a testbed already started with scripts/testbed/start.sh RUN_DIR. Registers the user
# $JETLAG_EMULATOR_USER (default: demo) with the password $JETLAG_TAPIS_PASSWORD and the
# execution system 'testbed'. Needs the build (./mvnw install -DskipTests). Stop with Ctrl-C.
# JETLAG_MVN overrides the Maven command used to list the classpath (default: ./mvnw).
set -euo pipefail
[ -n "${1:-}" ] || { echo "usage: $0 RUN_DIR" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mod="$repo/runners/test-support"
[ -d "$mod/target/classes" ] || { echo "tapis-emulator: build first: ./mvnw install -DskipTests" >&2; exit 1; }
cp_file="$mod/target/emulator.classpath"
if [ ! -s "$cp_file" ] || [ "$mod/pom.xml" -nt "$cp_file" ]; then
  (cd "$repo" && ${JETLAG_MVN:-./mvnw} -q -o -pl runners/test-support dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >/dev/null)
fi
exec java -cp "$mod/target/classes:$(cat "$cp_file")" org.jetlag.testsupport.tapis.EmulatorMain "$1"

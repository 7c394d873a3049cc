#!/usr/bin/env bash
# Regenerates docs/images/report.png: runs examples/kmeans on the local runner (generated points,
# so the run is long enough to show parallel work), writes its trace, CSV profile and HTML report
# to target/report-screenshot/, and renders the report with headless Chromium.
# Usage: scripts/report-screenshot.sh [POINTS]   (default 400000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
points="${1:-400000}"
out="target/report-screenshot"

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium" >&2
  apt-get update
  apt-get install -y chromium
fi

if [ ! -d examples/target/classes ] || [ ! -f runners/local/target/classes/org/jetlag/runner/local/LocalRunner.class ]; then
  mvn -B -ntp -o -q install -DskipTests
fi
mvn -B -ntp -o -q -f examples/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/target/report-screenshot.cp"

mkdir -p "$out" docs/images
java --add-opens=java.base/java.nio=ALL-UNNAMED \
  -cp "examples/target/classes:$(cat target/report-screenshot.cp)" \
  scripts/KmeansReport.java "$out" "$points" 2> >(grep -v '^SLF4J' >&2)

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1400,1800 \
  --screenshot="$PWD/docs/images/report.png" "file://$PWD/$out/report.html" 2>/dev/null
echo "wrote docs/images/report.png from $out/report.html"

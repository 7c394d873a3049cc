#!/usr/bin/env bash
# Installs the JetLag runtime that remote jobs run with into DIR, once per version, on the HPC
# system (here: this machine, reached by the tests over sshd). The runtime is the project's own
# build: runners/cli/target/jetlag-cli-*.jar and target/lib, a bin/jetlag launcher, and VERSION,
# which every job bundle checks before it runs; for '--runner flink' also the Flink cluster's
# classpath (runners/flink-dist/target/flink-lib/) and the Beam job jar
# (runners/beam-job/target/jetlag-beam-job.jar), at the same relative paths under DIR, where
# 'jetlag cluster start' and 'jetlag run --runner flink' find them (bin/jetlag passes DIR as
# -Djetlag.home; see org.jetlag.flink.cluster.JetLagFiles). Idempotent: an identical install is left alone;
# another one is replaced atomically (new folder, then rename).
# Usage: scripts/install-runtime.sh DIR        (build first: ./mvnw install -DskipTests)
set -euo pipefail
[ -n "${1:-}" ] || { echo "usage: $0 DIR" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$repo/runners/cli/target"
jar=""
for f in "$target"/jetlag-cli-*.jar; do
  case "$f" in *-sources.jar | *-javadoc.jar | *-tests.jar) continue ;; esac
  [ -f "$f" ] && jar="$f" && break
done
[ -n "$jar" ] && [ -d "$target/lib" ] ||
  { echo "install-runtime: no $target/jetlag-cli-*.jar and lib/: build first (./mvnw install -DskipTests)" >&2; exit 1; }
flinklib="$repo/runners/flink-dist/target/flink-lib"
jobjar="$repo/runners/beam-job/target/jetlag-beam-job.jar"
compgen -G "$flinklib/*.jar" >/dev/null && [ -f "$jobjar" ] ||
  { echo "install-runtime: no $flinklib/*.jar or $jobjar: build first (./mvnw install -DskipTests)" >&2; exit 1; }
version="$(basename "$jar" .jar)"
version="${version#jetlag-cli-}"
mkdir -p "$(dirname "$1")"
dir="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"

sums() {
  (cd "$1" && sha256sum jetlag-cli.jar lib/* runners/flink-dist/target/flink-lib/* \
    runners/beam-job/target/jetlag-beam-job.jar | sort -k2)
}
stage="$(mktemp -d "$dir.new.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib" "$stage/bin"
cp "$jar" "$stage/jetlag-cli.jar"
cp "$target"/lib/*.jar "$stage/lib/"
mkdir -p "$stage/runners/flink-dist/target/flink-lib" "$stage/runners/beam-job/target"
cp "$flinklib"/*.jar "$stage/runners/flink-dist/target/flink-lib/"
cp "$jobjar" "$stage/runners/beam-job/target/"
cat >"$stage/bin/jetlag" <<'LAUNCHER'
#!/usr/bin/env bash
# The installed JetLag runtime's command (see scripts/install-runtime.sh).
set -euo pipefail
home="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1073741824}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
# shellcheck disable=SC2086
# jetlag.home: where 'jetlag cluster start' and 'jetlag run --runner flink' find the Flink
# cluster's classpath and the Beam job jar (runners/flink-dist/..., runners/beam-job/... here).
exec "$java" --add-opens=java.base/java.nio=ALL-UNNAMED -Xss4m ${JETLAG_JAVA_OPTS:-} \
  -Djetlag.home="$home" -cp "$home/jetlag-cli.jar:$home/lib/*" org.jetlag.cli.Main "$@"
LAUNCHER
chmod 0755 "$stage/bin/jetlag"
sums "$stage" >"$stage/CHECKSUMS"
echo "$version" >"$stage/VERSION"
if [ -f "$dir/VERSION" ] && [ "$(cat "$dir/VERSION")" = "$version" ] &&
  cmp -s "$dir/CHECKSUMS" "$stage/CHECKSUMS"; then
  echo "install-runtime: JetLag $version already installed in $dir"
  exit 0
fi
chmod 0755 "$stage"
if [ -e "$dir" ]; then
  old="$(mktemp -d "$dir.old.XXXXXX")"
  mv "$dir" "$old/"
  mv "$stage" "$dir"
  rm -rf "$old"
else
  mv "$stage" "$dir"
fi
trap - EXIT
echo "install-runtime: JetLag $version installed in $dir"

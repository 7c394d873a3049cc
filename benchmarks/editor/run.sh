#!/usr/bin/env bash
# The editor benchmarks (docs/editor.md, "Performance"): a 500-node graph opened and laid out, and
# 100k run events streamed while the UI thread's stall is measured. Runs headless (Monocle) on the
# test class path of editor/editor-fx; build first: mvn install -DskipTests (in the repository).
# Extra Maven options (a local repository, -o) go in MAVEN_ARGS; MVN names another mvn.
set -euo pipefail
cd "$(dirname "$0")/../.."
fx=editor/editor-fx
# shellcheck disable=SC2086
"${MVN:-./mvnw}" -q -B ${MAVEN_ARGS:-} -pl "$fx" test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Xss4m \
  -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dprism.text=t2k \
  -Djava.awt.headless=true -Dheadless.geometry=1280x800-32 \
  -cp "$fx/target/test-classes:$fx/target/classes:$(cat "$fx/target/bench.classpath")" \
  org.jetlag.editor.fx.EditorBenchmark

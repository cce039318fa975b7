#!/usr/bin/env bash
# Builds consumer-test/, a consumer's project that imports keyward-bom and depends on every published
# module, with the enforcer's dependencyConvergence and requireUpperBoundDeps rules. It sees only the
# installed POMs (no keyward-parent dependencyManagement), as a user of the released artifacts would.
# The consumer is itself a named module (requires every Keyward module): it compiles on the module path,
# then runs on the module path with every runtime dependency resolved as a module
# (--add-modules ALL-MODULE-PATH: no split package, no missing module, no class path).
# Installs the current build first (-DskipTests) unless KEYWARD_INSTALLED=1 says that is done
# (scripts/release-check.sh). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KEYWARD_INSTALLED:-0}" != 1 ]; then
  ./mvnw -B -q install -DskipTests "$@"
fi
./mvnw -f consumer-test/pom.xml -B verify "$@"

module_path_file="consumer-test/target/runtime-module-path.txt"
./mvnw -f consumer-test/pom.xml -B -q dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$PWD/$module_path_file" "$@"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
env -u CLASSPATH -u JDK_JAVA_OPTIONS -u JAVA_TOOL_OPTIONS "$java_bin" \
  --module-path "consumer-test/target/classes:$(cat "$module_path_file")" \
  --add-modules ALL-MODULE-PATH \
  -m dev.keyward.consumertest/dev.keyward.consumertest.UsesKeyward

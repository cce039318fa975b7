#!/usr/bin/env bash
# Builds consumer-test/, a consumer's project that imports keyward-bom and depends on every published
# module, with the enforcer's dependencyConvergence and requireUpperBoundDeps rules. It sees only the
# installed POMs (no keyward-parent dependencyManagement), as a user of the released artifacts would.
# Installs the current build first (-DskipTests) unless KEYWARD_INSTALLED=1 says that is done
# (scripts/release-check.sh). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KEYWARD_INSTALLED:-0}" != 1 ]; then
  ./mvnw -B -q install -DskipTests "$@"
fi
./mvnw -f consumer-test/pom.xml -B verify "$@"

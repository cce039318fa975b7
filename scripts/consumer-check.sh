#!/usr/bin/env bash
# Builds consumer-test/, a consumer's project that imports keyward-bom and depends on every published
# module, with the enforcer's dependencyConvergence and requireUpperBoundDeps rules. It sees only the
# installed POMs (no keyward-parent dependencyManagement), as a user of the released artifacts would.
# Run after `./mvnw install` (scripts/test.sh's verify does not install); extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -f consumer-test/pom.xml -B verify "$@"

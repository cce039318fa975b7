#!/usr/bin/env bash
# Every test of every module, against a real Pebble and a real SoftHSM2 token.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh pebble softhsm2
bash scripts/ensure-opencryptoki.sh
bash scripts/ensure-postgres.sh
./mvnw -B verify "$@"
bash scripts/release-check.sh

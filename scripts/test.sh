#!/usr/bin/env bash
# Every test of every module, against a real Pebble and a real SoftHSM2 token; the account import tests
# run the real certbot and lego, and OpenSSL checks the encrypted export.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh pebble softhsm2 certbot lego openssl
bash scripts/ensure-opencryptoki.sh
bash scripts/ensure-postgres.sh
./mvnw -B verify "$@"
bash scripts/release-check.sh

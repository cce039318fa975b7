#!/usr/bin/env bash
# The main job: build the keyward CLI and issue a certificate from a local Pebble it starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh pebble
./mvnw -q -B -DskipTests -pl examples -am package
exec java -jar examples/target/keyward.jar demo

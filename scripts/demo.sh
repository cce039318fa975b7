#!/usr/bin/env bash
# The main job: builds the keyward CLI (one jar, examples/target/keyward.jar, and its launcher
# examples/target/keyward), starts a local Pebble with its mock DNS (scripts/lib/pebble.sh), and
# issues a certificate for two names over http-01 with the launcher, as a user would against any
# ACME CA. Needs Java 17, openssl and Debian's apt for Pebble 2.10 (scripts/ensure-tools.sh).
#   KEYWARD_DEMO_NO_BUILD=1  use the jar already built
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
if [ "${KEYWARD_DEMO_NO_BUILD:-}" != 1 ] || [ ! -f examples/target/keyward.jar ]; then
  ./mvnw -q -B -DskipTests -pl examples -am package
fi

# shellcheck source=lib/pebble.sh
source scripts/lib/pebble.sh
work="$(mktemp -d "${TMPDIR:-/tmp}/keyward-demo.XXXXXX")"
cleanup() {
  pebble_stop
  rm -rf "$work"
}
trap cleanup EXIT
export PEBBLE_VA_NOSLEEP=1
pebble_start "$work/pebble"
echo "Started Pebble at $PEBBLE_DIRECTORY" >&2

"$root/examples/target/keyward" --directory "$PEBBLE_DIRECTORY" --trust "$PEBBLE_TRUST" \
  issue -d demo.keyward.test -d www.demo.keyward.test --http01-port "$PEBBLE_HTTP01_PORT" --out "$work/out"

echo
echo "Certificate:"
openssl x509 -in "$work/out/cert.pem" -noout -subject -issuer -dates -ext subjectAltName 2>/dev/null \
  | sed 's/^/  /'
echo "Chain: $(grep -c 'BEGIN CERTIFICATE' "$work/out/chain.pem") certificates. The files and Pebble go away with this demo."

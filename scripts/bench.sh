#!/usr/bin/env bash
# One command, one table: Keyward's CLI beside acme4j (through benchmarks' Acme4jCli, its documented
# flow in a main) and lego (Debian's Go client), each issuing one certificate per run from ONE local
# Pebble 2.10, side by side in the same run. Not a test and not run by CI: it prints figures.
#
#   bash scripts/bench.sh [RUNS]     RUNS measured runs per client (default 7), after one warm-up each
#
# Per client: requests per fresh issuance (a new account key, account and name every run), counted from
# Pebble's own log; whole-process wall and CPU (user + system) time of one issuance from
# /usr/bin/time -f '%e %U %S', median of RUNS. The clients take turns within each round, so load on the
# machine falls on all three alike. The warm-up run is where Keyward's launcher makes its AppCDS archive
# (it does so on its first command) and where every client's files get into the page cache.
# Pebble: PEBBLE_VA_NOSLEEP=1 (its validator does not sleep), PEBBLE_WFE_NONCEREJECT=0 (no nonce is
# refused, so counts are exact), PEBBLE_AUTHZREUSE=0 (no authorization reuse; moot anyway, since each
# run has a new account).
# Then, when the benchmarks module has dev.keyward.benchmarks.InProcessTable, its in-process rows
# (Keyward beside acme4j's default and 50 ms-polling flows) against the same Pebble.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
runs="${1:-7}"
case "$runs" in '' | *[!0-9]* | 0) echo "usage: scripts/bench.sh [RUNS]" >&2; exit 2 ;; esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 3; fi
}
missing=()
command -v lego >/dev/null 2>&1 || missing+=(lego)
[ -x /usr/bin/time ] || missing+=(time)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
fi

echo "Building the keyward jar and the benchmarks module..." >&2
./mvnw -q -B -DskipTests -pl examples,benchmarks -am package >&2
keyward="$root/examples/target/keyward"
acme4j_cp="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath.txt")"
acme4j_version="$(tr ':' '\n' < "$root/benchmarks/target/classpath.txt" | sed -n 's#.*/acme4j-client-\([^/]*\)\.jar$#\1#p')"
lego_version="$(dpkg-query -W -f='${Version}' lego 2>/dev/null || lego --version)"

# shellcheck source=lib/pebble.sh
source scripts/lib/pebble.sh
work="$(mktemp -d "${TMPDIR:-/tmp}/keyward-bench.XXXXXX")"
cleanup() {
  pebble_stop
  rm -rf "$work"
}
trap cleanup EXIT
export PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0
pebble_start "$work/pebble"
keytool -importcert -noprompt -alias pebble -file "$PEBBLE_TRUST" -keystore "$work/pebble-ca.p12" \
  -storetype PKCS12 -storepass changeit >/dev/null 2>&1
export KEYWARD_CDS_DIR="$work/cds"
echo "Pebble at $PEBBLE_DIRECTORY; $runs measured runs per client after one warm-up" >&2
load_before="$(cut -d ' ' -f 1-3 /proc/loadavg)"

requests() { grep -c -- '-> calling handler' "$PEBBLE_LOG" || true; }

# run CLIENT TAG: one issuance; appends "wall cpu requests" to $work/CLIENT.runs unless TAG is warmup.
run() {
  local client="$1" tag="$2" name out before after status=0
  name="bench-$client-$tag-$RANDOM$RANDOM.keyward.test"
  out="$work/out/$client-$tag"
  mkdir -p "$out"
  before="$(requests)"
  case "$client" in
    keyward)
      /usr/bin/time -f '%e %U %S' -o "$out/time" "$keyward" --directory "$PEBBLE_DIRECTORY" \
        --trust "$PEBBLE_TRUST" issue -d "$name" --http01-port "$PEBBLE_HTTP01_PORT" --out "$out" \
        > "$out/log" 2>&1 || status=$?
      chain="$out/chain.pem" ;;
    acme4j)
      /usr/bin/time -f '%e %U %S' -o "$out/time" java -Djavax.net.ssl.trustStore="$work/pebble-ca.p12" \
        -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12 -cp "$acme4j_cp" \
        dev.keyward.benchmarks.Acme4jCli --directory "$PEBBLE_DIRECTORY" --domain "$name" \
        --http01-port "$PEBBLE_HTTP01_PORT" --out "$out" > "$out/log" 2>&1 || status=$?
      chain="$out/chain.pem" ;;
    lego)
      LEGO_CA_CERTIFICATES="$PEBBLE_TRUST" /usr/bin/time -f '%e %U %S' -o "$out/time" lego \
        --server "$PEBBLE_DIRECTORY" --accept-tos --email bench@keyward.test --domains "$name" --http \
        --http.port "127.0.0.1:$PEBBLE_HTTP01_PORT" --path "$out/lego" run > "$out/log" 2>&1 || status=$?
      chain="$out/lego/certificates/$name.crt" ;;
  esac
  after="$(requests)"
  if [ "$status" -ne 0 ] || [ ! -s "$chain" ] \
      || ! openssl x509 -in "$chain" -noout -ext subjectAltName 2>/dev/null | grep -q "DNS:$name"; then
    echo "$client run $tag failed (exit $status):" >&2
    cat "$out/log" >&2
    exit 1
  fi
  read -r wall user sys < <(tail -n 1 "$out/time")
  local cpu
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
  printf '%-8s %-7s %6s s wall %6s s cpu %3d requests\n' "$client" "$tag" "$wall" "$cpu" $((after - before)) >&2
  if [ "$tag" != warmup ]; then
    echo "$wall $cpu $((after - before))" >> "$work/$client.runs"
  fi
}

clients=(keyward acme4j lego)
for client in "${clients[@]}"; do run "$client" warmup; done
for round in $(seq 1 "$runs"); do
  for client in "${clients[@]}"; do run "$client" "$round"; done
done

# median FILE COLUMN
median() {
  cut -d ' ' -f "$2" "$1" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

declare -A wall cpu req
for client in "${clients[@]}"; do
  wall[$client]="$(median "$work/$client.runs" 1)"
  cpu[$client]="$(median "$work/$client.runs" 2)"
  req[$client]="$(median "$work/$client.runs" 3)"
done
load_after="$(cut -d ' ' -f 1-3 /proc/loadavg)"

echo
echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1);" \
  "load average $load_before at the start, $load_after at the end;" \
  "$(java -version 2>&1 | sed -n 2p); Pebble from $PEBBLE_BIN; $(date -u '+%Y-%m-%d %H:%M UTC')."
echo
echo "| figure (one issuance, whole process; median of $runs) | Keyward CLI | acme4j $acme4j_version | lego $lego_version |"
echo "|---|---|---|---|"
echo "| requests per fresh issuance (Pebble's log) | ${req[keyward]} | ${req[acme4j]} | ${req[lego]} |"
echo "| wall time | ${wall[keyward]} s | ${wall[acme4j]} s | ${wall[lego]} s |"
echo "| CPU time (user + system) | ${cpu[keyward]} s | ${cpu[acme4j]} s | ${cpu[lego]} s |"
echo "| Keyward's wall time as a share of this one | 1.00 | $(ratio "${wall[keyward]}" "${wall[acme4j]}") | $(ratio "${wall[keyward]}" "${wall[lego]}") |"

if [ -f "$root/benchmarks/target/classes/dev/keyward/benchmarks/InProcessTable.class" ]; then
  echo "Running InProcessTable against the same Pebble..." >&2
  rows="$(java -cp "$acme4j_cp" dev.keyward.benchmarks.InProcessTable --directory "$PEBBLE_DIRECTORY" \
    --trust "$PEBBLE_TRUST" --http01-port "$PEBBLE_HTTP01_PORT" --pebble-log "$PEBBLE_LOG" | grep '^|' || true)"
  echo
  if ! printf '%s\n' "$rows" | sed -n 2p | grep -q -- '---'; then
    echo "| figure (in-process) | Keyward | acme4j default | acme4j fast |"
    echo "|---|---|---|---|"
  fi
  printf '%s\n' "$rows"
fi

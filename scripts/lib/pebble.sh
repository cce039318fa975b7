# Sourced by scripts/demo.sh and scripts/bench.sh: starts one local Pebble 2.10 and its mock DNS
# (pebble-challtestsrv, which answers every name with 127.0.0.1) on free loopback ports, as a user
# would run them, with no test kit. Needs openssl (the HTTPS listener's key pair; installed from
# Debian when missing) and bash's /dev/tcp. Set PEBBLE_* knobs (PEBBLE_VA_NOSLEEP, PEBBLE_AUTHZREUSE, PEBBLE_WFE_NONCEREJECT) in the
# environment before calling pebble_start; they pass through to Pebble.
#
# After `pebble_start DIR`: PEBBLE_DIRECTORY (the directory URL), PEBBLE_TRUST (PEM of the CA that
# signed Pebble's HTTPS certificate), PEBBLE_HTTP01_PORT (where Pebble's validator fetches http-01
# answers), PEBBLE_LOG (Pebble's log: one "-> calling handler" line per request). pebble_stop ends both
# processes; callers set `trap pebble_stop EXIT`. PEBBLE_BIN: the folder of the binaries used.

PEBBLE_PIDS=()

# A loopback TCP port nobody listens on now.
pebble_free_port() {
  local port tries
  for tries in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free loopback port found" >&2
  return 1
}

# Waits up to 30 s for a loopback port to accept connections.
pebble_await_port() {
  local port="$1" what="$2" i
  for i in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "$what did not listen on 127.0.0.1:$port within 30 s" >&2
  return 1
}

pebble_start() {
  local work="$1" bin dns_port mgmt_port dns_mgmt_port
  mkdir -p "$work"
  if ! command -v openssl >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get -o DPkg::Lock::Timeout=600 install -y -q openssl >&2
    else
      sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q openssl >&2
    fi
  fi
  bin="$(bash "$(dirname "${BASH_SOURCE[0]}")/../ensure-tools.sh" pebble | sed -n 's/^pebble: //p')"
  [ -x "$bin/pebble" ] || { echo "ensure-tools.sh found no Pebble" >&2; return 1; }
  PEBBLE_BIN="$bin"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/pebble-key.pem" \
    -out "$work/pebble-cert.pem" 2>/dev/null
  PEBBLE_TRUST="$work/pebble-cert.pem"
  local port
  port="$(pebble_free_port)"
  mgmt_port="$(pebble_free_port)"
  dns_port="$(pebble_free_port)"
  dns_mgmt_port="$(pebble_free_port)"
  PEBBLE_HTTP01_PORT="$(pebble_free_port)"
  cat > "$work/pebble-config.json" <<JSON
{"pebble": {"listenAddress": "127.0.0.1:$port", "managementListenAddress": "127.0.0.1:$mgmt_port",
  "certificate": "$work/pebble-cert.pem", "privateKey": "$work/pebble-key.pem",
  "httpPort": $PEBBLE_HTTP01_PORT, "tlsPort": $(pebble_free_port), "ocspResponderURL": "",
  "externalAccountBindingRequired": false}}
JSON
  "$bin/pebble-challtestsrv" -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dnsserver "127.0.0.1:$dns_port" \
    -management "127.0.0.1:$dns_mgmt_port" -http01 "" -https01 "" -tlsalpn01 "" -doh "" \
    > "$work/challtestsrv.log" 2>&1 &
  PEBBLE_PIDS+=($!)
  PEBBLE_LOG="$work/pebble.log"
  "$bin/pebble" -config "$work/pebble-config.json" -dnsserver "127.0.0.1:$dns_port" > "$PEBBLE_LOG" 2>&1 &
  PEBBLE_PIDS+=($!)
  pebble_await_port "$dns_mgmt_port" pebble-challtestsrv
  pebble_await_port "$port" Pebble
  PEBBLE_DIRECTORY="https://localhost:$port/dir"
}

pebble_stop() {
  local pid
  for pid in "${PEBBLE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PEBBLE_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PEBBLE_PIDS=()
}

#!/usr/bin/env bash
# Installs PostgreSQL from Debian when it is missing, for the acme-jdbc tests of the CSR queue.
# Installs only: the tests start their own private server (initdb into a temporary data directory,
# pg_ctl start on 127.0.0.1 with a free port, run as the postgres OS user when root) and stop it.
# Prints where the server binaries are ("postgresql: DIR") on standard output.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "need root to run: $*" >&2
    return 3
  fi
}

# The newest /usr/lib/postgresql/N/bin holding initdb, pg_ctl and postgres.
server_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  return 1
}

if ! bin="$(server_bin)"; then
  echo "installing postgresql from Debian" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  # Debian's package starts a cluster of its own on port 5432; the tests never use it.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
  bin="$(server_bin)" || { echo "postgresql installed, but no initdb/pg_ctl/postgres under /usr/lib/postgresql" >&2; exit 1; }
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "no postgres OS user: the tests run the server as that user when started as root" >&2
  exit 1
fi
echo "postgresql: $bin"

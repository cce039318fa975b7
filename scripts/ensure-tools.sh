#!/usr/bin/env bash
# Installs the tools Keyward's demo and tests need, when they are missing.
# Usage: scripts/ensure-tools.sh pebble [softhsm2] [certbot] [lego] [...]
#
# pebble: the tests need Pebble 2.10 (ARI, profiles, the five challenge types). Debian bookworm ships
# 2.4.0, so this fetches the pinned package from Debian's newer suites (sid, else forky) into a cache
# directory with a private apt configuration: the system's apt sources and installed packages stay as
# they are. An installed Debian package pebble >= 2.10 is accepted instead. Prints where Pebble is
# ("pebble: DIR") on standard output.
# certbot, lego: the real ACME clients whose accounts `keyward account import --from-certbot/--from-lego`
# reads; the tests register accounts with them against Pebble. Installed from Debian (bookworm: certbot
# 2.1, lego 4.9) when the command is missing.
# Any other name is a Debian package, installed when missing.
#   KEYWARD_TOOLS_DIR  the cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/keyward)
set -euo pipefail

PEBBLE_VERSION="2.10.0+ds1-2"
PEBBLE_SUITES=(sid forky)
TOOLS_DIR="${KEYWARD_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/keyward}"
PEBBLE_DIR="$TOOLS_DIR/pebble-$PEBBLE_VERSION"

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

# Whether the installed Debian package pebble is 2.10 or newer, with both binaries in /usr/bin.
system_pebble_is_recent() {
  local version
  version="$(dpkg-query -W -f='${Version}' pebble 2>/dev/null)" || return 1
  [ -n "$version" ] && dpkg --compare-versions "$version" ge "2.10" \
    && [ -x /usr/bin/pebble ] && [ -x /usr/bin/pebble-challtestsrv ]
}

# The URI of the machine's own Debian mirror, from its deb822 sources (first "URIs:" of a source
# that serves the main archive, not the security one), else from a one-line sources.list.
debian_mirror() {
  local uri=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\// && $i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || { echo "cannot find the Debian mirror in /etc/apt/sources.list.d/debian.sources" >&2; return 1; }
  printf '%s\n' "$uri"
}

# Downloads the pinned pebble package from one suite and unpacks it into $PEBBLE_DIR.
fetch_pebble_from() {
  local suite="$1" mirror="$2" apt_dir deb unpack
  apt_dir="$TOOLS_DIR/apt-$suite"
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$apt_dir/sources.list"
  local apt_options=(-q -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root")
  apt-get "${apt_options[@]}" update >&2 || return 1
  (cd "$apt_dir" && apt-get "${apt_options[@]}" download "pebble=$PEBBLE_VERSION" >&2) || return 1
  deb="$(ls "$apt_dir"/pebble_*.deb 2>/dev/null | head -n 1)"
  [ -n "$deb" ] || return 1
  unpack="$(mktemp -d "$TOOLS_DIR/pebble-unpack.XXXXXX")"
  dpkg-deb -x "$deb" "$unpack" || { rm -rf "$unpack"; return 1; }
  [ -x "$unpack/usr/bin/pebble" ] && [ -x "$unpack/usr/bin/pebble-challtestsrv" ] || { rm -rf "$unpack"; return 1; }
  rm -rf "$PEBBLE_DIR"
  mv "$unpack" "$PEBBLE_DIR"
  rm -rf "$apt_dir"
}

ensure_pebble() {
  if [ -x "$PEBBLE_DIR/usr/bin/pebble" ] && [ -x "$PEBBLE_DIR/usr/bin/pebble-challtestsrv" ]; then
    echo "pebble: $PEBBLE_DIR/usr/bin"
    return 0
  fi
  if system_pebble_is_recent; then
    echo "pebble: /usr/bin"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
    || { echo "pebble $PEBBLE_VERSION: needs apt-get and dpkg-deb (Debian or Ubuntu)" >&2; return 1; }
  local mirror suite
  mirror="$(debian_mirror)"
  mkdir -p "$TOOLS_DIR"
  for suite in "${PEBBLE_SUITES[@]}"; do
    echo "Fetching pebble $PEBBLE_VERSION from Debian $suite into $PEBBLE_DIR" >&2
    if fetch_pebble_from "$suite" "$mirror"; then
      echo "pebble: $PEBBLE_DIR/usr/bin"
      return 0
    fi
    echo "pebble $PEBBLE_VERSION is not available from $suite" >&2
    rm -rf "$TOOLS_DIR/apt-$suite"
  done
  echo "cannot fetch pebble $PEBBLE_VERSION from ${PEBBLE_SUITES[*]}" >&2
  return 1
}

missing=()
want_pebble=false
for tool in "$@"; do
  case "$tool" in
    pebble)   want_pebble=true ;;
    softhsm2) command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2) ;;
    certbot)  command -v certbot >/dev/null 2>&1 || missing+=(certbot) ;;
    lego)     command -v lego >/dev/null 2>&1 || missing+=(lego) ;;
    *)        dpkg -s "$tool" >/dev/null 2>&1 || missing+=("$tool") ;;
  esac
done
if ! command -v java >/dev/null 2>&1; then
  missing+=(openjdk-17-jdk-headless)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian" >&2
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi
if $want_pebble; then
  ensure_pebble
fi

#!/usr/bin/env bash
# Installs the Debian packages Keyward's demo and tests need, when they are missing.
# Usage: scripts/ensure-tools.sh pebble [softhsm2 ...]
set -euo pipefail

missing=()
for pkg in "$@"; do
  case "$pkg" in
    pebble)   command -v pebble >/dev/null 2>&1 && command -v pebble-challtestsrv >/dev/null 2>&1 || missing+=(pebble) ;;
    softhsm2) command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2) ;;
    *)        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done
if ! command -v java >/dev/null 2>&1; then
  missing+=(openjdk-17-jdk-headless)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root to install: ${missing[*]}" >&2; exit 3; }
  sudo="sudo"
fi
echo "Installing ${missing[*]} from Debian" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null

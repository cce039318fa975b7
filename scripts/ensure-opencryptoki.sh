#!/usr/bin/env bash
# Makes openCryptoki's soft token usable for Keyward's PKCS#11 tests: installs the Debian package
# opencryptoki when it is missing, and starts its slot daemon pkcsslotd when it is not running
# (without it every C_Initialize fails, with CKR_HOST_MEMORY or CKR_GENERAL_ERROR). Idempotent; says
# what it did. The tests initialise the token themselves (label keyward-ock), see OpenCryptokiToken.
# Usage: scripts/ensure-opencryptoki.sh   (as root, or with sudo available)
set -euo pipefail

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-opencryptoki: need root (or sudo) to install and start openCryptoki" >&2; exit 3; }
  sudo="sudo"
fi

if dpkg -s opencryptoki >/dev/null 2>&1; then
  echo "ensure-opencryptoki: opencryptoki $(dpkg-query -W -f='${Version}' opencryptoki) is installed"
else
  echo "ensure-opencryptoki: installing opencryptoki from Debian"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq opencryptoki >/dev/null
  echo "ensure-opencryptoki: installed opencryptoki $(dpkg-query -W -f='${Version}' opencryptoki)"
fi

# The tests' user must be in group pkcs11 to reach the daemon and the token directory; root always can.
user="${SUDO_USER:-$(id -un)}"
if [ "$user" != "root" ] && ! id -nG "$user" | tr ' ' '\n' | grep -qx pkcs11; then
  $sudo usermod -a -G pkcs11 "$user"
  echo "ensure-opencryptoki: added $user to group pkcs11 (takes effect at the next login)"
fi

# The pid of a running pkcsslotd, from /proc (procps, and so pgrep, is not on minimal images).
slotd_pid() {
  local comm
  for comm in /proc/[0-9]*/comm; do
    if [ "$(cat "$comm" 2>/dev/null)" = pkcsslotd ]; then
      comm="${comm#/proc/}"
      echo "${comm%/comm}"
      return 0
    fi
  done
  return 1
}

if pid="$(slotd_pid)"; then
  echo "ensure-opencryptoki: pkcsslotd is running (pid $pid)"
else
  # No systemd on CI containers: start the daemon directly; it puts itself in the background.
  $sudo /usr/sbin/pkcsslotd
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    slotd_pid >/dev/null && break
    sleep 0.5
  done
  if ! pid="$(slotd_pid)"; then
    echo "ensure-opencryptoki: pkcsslotd did not stay up; see the system log" >&2
    exit 1
  fi
  echo "ensure-opencryptoki: started pkcsslotd (pid $pid)"
fi

/usr/sbin/pkcsconf -s -c 3 >/dev/null 2>&1 \
  && echo "ensure-opencryptoki: the soft token's slot 3 answers" \
  || { echo "ensure-opencryptoki: pkcsconf cannot reach slot 3 (the soft token) through pkcsslotd" >&2; exit 1; }

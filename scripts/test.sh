#!/usr/bin/env bash
# What `npm test` runs. On a fresh machine it installs what the tests need (Debian
# packages when root, node_modules, the MinIO binary), then runs every stage inside a
# private D-Bus session (scripts/test-session.sh), where gnome-keyring serves the
# Secret Service that the keychain code and its tests use.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium (Playwright drives it), gnome-keyring + libsecret-tools
# (the keychain), dbus-x11 (dbus-launch) and dbus (dbus-run-session; on Debian 12 it
# comes from dbus-daemon, which dbus pulls in on every release).
apt_packages=(chromium gnome-keyring dbus dbus-x11 libsecret-tools)
missing=()
if [ ! -x /usr/lib/chromium/chromium ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
for tool in gnome-keyring-daemon dbus-run-session dbus-launch secret-tool; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test.sh: missing ${missing[*]}" >&2
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${apt_packages[@]}"
  else
    echo "test.sh: install them first, then run npm test again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${apt_packages[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ]; then
  # Playwright drives Debian's Chromium; its own browser download needs the internet.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci
fi

# The first run builds MinIO from its Go module (a few minutes); later runs reuse .cache/minio.
node --import tsx scripts/minio.ts build >/dev/null

exec dbus-run-session -- bash scripts/test-session.sh "$@"

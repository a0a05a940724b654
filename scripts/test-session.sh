#!/usr/bin/env bash
# Runs every test stage inside the D-Bus session that scripts/test.sh opened, with a
# fresh gnome-keyring unlocked by a random password. Every stage runs even after
# another fails, so one run reports everything; scripts/test-summary.ts prints the total.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "test-session.sh: no D-Bus session; run it through npm test (scripts/test.sh)" >&2
  exit 1
fi

# Fresh keyring storage and runtime folders, outside HOME, so that no developer's
# real keyring is read or written and every run starts empty.
session_dir=$(mktemp -d "${TMPDIR:-/tmp}/s3fm-test-session.XXXXXX")
export XDG_DATA_HOME="$session_dir/data" XDG_RUNTIME_DIR="$session_dir/runtime"
mkdir -p "$XDG_DATA_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"

keyring_pid=""
watchdog_pid=""
cleanup() {
  if [ -n "$watchdog_pid" ]; then kill "$watchdog_pid" 2>/dev/null || true; fi
  # The watchdog may have started the daemon again: its pid file has the current one.
  if [ -f "$session_dir/keyring.pid" ]; then keyring_pid=$(cat "$session_dir/keyring.pid"); fi
  if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null || true; fi
  rm -rf "$session_dir"
}
trap cleanup EXIT

keyring_password=$(head -c 18 /dev/urandom | base64)
# shellcheck source=scripts/keyring-daemon.sh
source scripts/keyring-daemon.sh
if ! keyring_start "$keyring_password"; then
  echo "test-session.sh: gnome-keyring-daemon did not register org.freedesktop.secrets on the session bus" >&2
  exit 1
fi
keyring_pid=$KEYRING_DAEMON_PID
echo "gnome-keyring-daemon (pid $keyring_pid) serves the Secret Service in this session"

# The keyring is checked every few seconds while the stages run (scripts/keyring-watchdog.sh):
# what goes wrong with it is printed at the end, and the daemon is started again.
echo "$keyring_pid" >"$session_dir/keyring.pid"
echo "setup" >"$session_dir/stage"
: >"$session_dir/keyring-watchdog.log"
KEYRING_PASSWORD="$keyring_password" bash scripts/keyring-watchdog.sh "$session_dir/keyring-watchdog.log" \
  "$session_dir/keyring.pid" "$session_dir/stage" "$$" &
watchdog_pid=$!

rm -f test-results/vitest.json test-results/vitest-electron-node.json test-results/playwright.json test-results/compatibility.json
mkdir -p test-results

# The secrets scan (last stage) looks for every secret this run uses in what it leaves behind:
# test servers and tests note theirs in S3FM_TEST_SECRETS_DIR (scripts/test-secrets.ts), and
# temporary folders made since S3FM_TEST_SESSION_START are scanned too.
export S3FM_TEST_SECRETS_DIR="$PWD/test-results/secrets"
S3FM_TEST_SESSION_START=$(node -e 'console.log(Date.now())')
export S3FM_TEST_SESSION_START
rm -rf "$S3FM_TEST_SECRETS_DIR"
mkdir -m 700 "$S3FM_TEST_SECRETS_DIR"
KEYRING_PASSWORD="$keyring_password" node -e \
  'console.log(JSON.stringify({ label: "test keyring password", secret: process.env.KEYRING_PASSWORD }))' \
  >"$S3FM_TEST_SECRETS_DIR/keyring.jsonl"

failed_stages=()
stage() {
  local name=$1
  shift
  echo
  echo "=== $name: $* ($(date +%T))"
  echo "$name" >"$session_dir/stage"
  if "$@"; then
    echo "=== $name: ok"
  else
    echo "=== $name: FAILED (exit $?)"
    failed_stages+=("$name")
  fi
}

stage check npm run check
stage build npx electron-vite build
# The services' tests (src/main, src/shared and test/: unit, integration, soak, kill loop) run on
# the Node that Electron bundles (scripts/test.sh finds it); the renderer's, the preload's and
# the tooling's (scripts/) on this machine's Node, which runs the tooling. One run each, so the
# total time stays that of one run.
electron_node=${S3FM_ELECTRON_NODE:-$(command -v node)}
echo
echo "main process tests on Node $("$electron_node" --version) ($electron_node); tooling on Node $(node --version)"
stage vitest-electron-node "$electron_node" node_modules/vitest/vitest.mjs run --reporter=default --reporter=json \
  --outputFile=test-results/vitest-electron-node.json "$PWD/src/main/" "$PWD/src/shared/" "$PWD/test/"
stage vitest npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json \
  "$PWD/src/renderer/" "$PWD/src/preload/" "$PWD/scripts/"
# docs/compatibility.md is written from the compatibility suite's run (a run of only some services is refused).
if [ -f test-results/compatibility.json ]; then
  stage compatibility-report node --import tsx scripts/compatibility-report.ts
fi

if [ -f playwright.config.ts ] || [ -f playwright.config.js ] || [ -f playwright.config.mjs ]; then
  # Playwright empties its outputDir (test-results/ by default) before it runs: keep Vitest's results.
  for report in vitest vitest-electron-node; do
    if [ -f "test-results/$report.json" ]; then cp "test-results/$report.json" "$session_dir/$report.json"; fi
  done
  stage playwright npx playwright test
  mkdir -p test-results
  for report in vitest vitest-electron-node; do
    if [ -f "$session_dir/$report.json" ] && [ ! -f "test-results/$report.json" ]; then
      cp "$session_dir/$report.json" "test-results/$report.json"
    fi
  done
else
  echo
  echo "=== playwright: skipped, there is no playwright.config.ts"
fi

# After every stage that writes: data folders, logs, journals, links files, reports and traces.
stage secrets-scan node --import tsx scripts/secrets-scan.ts

echo
summary_status=0
TEST_FAILED_STAGES="${failed_stages[*]}" node --import tsx scripts/test-summary.ts || summary_status=$?
# Last, so that the tail of a CI log has it: anything the keyring watchdog saw go wrong.
if [ -s "$session_dir/keyring-watchdog.log" ]; then
  echo
  echo "WARNING the test keyring failed during the run (scripts/keyring-watchdog.sh):"
  cat "$session_dir/keyring-watchdog.log"
fi
if [ "${#failed_stages[@]}" -gt 0 ] || [ "$summary_status" -ne 0 ]; then exit 1; fi

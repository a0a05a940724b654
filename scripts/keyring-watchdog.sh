#!/usr/bin/env bash
# Watches the test keyring while `npm test` runs (scripts/test-session.sh starts it, and stops it
# by its pid). Every few seconds it checks that the gnome-keyring-daemon the session started
# still owns the Secret Service on the bus, and that an item can be written and read back. When
# either fails it writes what it saw to the log (the stage, the daemon, the keyring folder, the
# disk) and starts the daemon again on the same keyring, so that one failure of the keyring does
# not fail every later test; test-session.sh prints the log at the end of the run.
#
# keyring-watchdog.sh <log file> <pid file> <stage file> [session pid]
#   pid file: the daemon's pid, rewritten when the daemon is started again
#   session pid: the watchdog ends when this process has (test-session.sh passes its own pid)
# Environment: KEYRING_PASSWORD (unlocks the keyring when the daemon is started again), and the
# session's DBUS_SESSION_BUS_ADDRESS, XDG_DATA_HOME and XDG_RUNTIME_DIR.
set -u
log=$1 pid_file=$2 stage_file=$3 session_pid=${4:-}
interval=${KEYRING_WATCHDOG_INTERVAL:-5}
trap 'exit 0' TERM INT

# keyring_owner and keyring_start.
# shellcheck source=scripts/keyring-daemon.sh
source "$(dirname "$0")/keyring-daemon.sh"

# Writes a random value under the watchdog's own attributes and reads it back; prints why not.
roundtrip() {
  local value stored said status=0
  value=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  said=$(printf %s "$value" | timeout 10 secret-tool store --label='s3fm keyring watchdog' \
    service s3fm-keyring-watchdog probe roundtrip 2>&1) || status=$?
  if [ "$status" != 0 ]; then
    echo "secret-tool store failed (exit $status${said:+: $said})"
    return 1
  fi
  stored=$(timeout 10 secret-tool lookup service s3fm-keyring-watchdog probe roundtrip 2>&1)
  if [ "$stored" != "$value" ]; then
    # The value is the watchdog's own random one, no secret: what came back says what went wrong.
    echo "secret-tool lookup gave back '${stored:0:200}', not what was stored"
    return 1
  fi
}

# Starts gnome-keyring-daemon again on the session's keyring; prints its pid.
restart() {
  local current
  current=$(keyring_owner)
  # A daemon the bus started on its own (D-Bus activation) has the wrong keyring folder.
  if [ -n "$current" ]; then kill "$current" 2>/dev/null || true; fi
  mkdir -p "$XDG_DATA_HOME/keyrings"
  keyring_start "$KEYRING_PASSWORD" "$current" >/dev/null 2>&1 && echo "$KEYRING_DAEMON_PID"
}

failed_roundtrips=0
while :; do
  sleep "$interval" &
  wait $!
  # Ended without stopping it (killed): no bus is left to watch.
  if [ -n "$session_pid" ] && ! kill -0 "$session_pid" 2>/dev/null; then exit 0; fi
  pid=$(cat "$pid_file" 2>/dev/null || true)
  problem=""
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    problem="gnome-keyring-daemon (pid ${pid:-?}) has exited"
  elif current=$(keyring_owner) && [ "$current" != "$pid" ]; then
    problem="org.freedesktop.secrets is owned by ${current:+pid $current}${current:-nobody}, not by the session's daemon (pid $pid)"
  elif why=$(roundtrip); then
    failed_roundtrips=0
  else
    failed_roundtrips=$((failed_roundtrips + 1))
    problem="writing and reading back an item failed ($failed_roundtrips in a row): $why"
  fi
  [ -z "$problem" ] && continue
  {
    echo "$(date +%T) during $(cat "$stage_file" 2>/dev/null || echo '?'): $problem"
    echo "  keyring folder: $(ls -la "$XDG_DATA_HOME/keyrings" 2>&1 | tr '\n' ';')"
    echo "  disk: $(df -h "$XDG_DATA_HOME" 2>&1 | tail -1)"
    # A second daemon (one the bus started for a name the session's does not own) shows here.
    echo "  keyring daemons: $(ps -eo pid,ppid,etimes,args | awk '/[g]nome-keyring-daemon/' | tr -s ' ' | tr '\n' ';')"
    # A daemon that is there but slow (a loaded machine) gets a second chance before a restart.
    if [ "$failed_roundtrips" = 1 ]; then
      echo "  looking again in ${interval} s before starting it again"
    elif new_pid=$(restart); then
      failed_roundtrips=0
      echo "$new_pid" >"$pid_file"
      echo "  started gnome-keyring-daemon again: pid $new_pid"
    else
      echo "  could not start gnome-keyring-daemon again"
    fi
  } >>"$log"
done

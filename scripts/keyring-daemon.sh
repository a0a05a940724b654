# Starting the test keyring's gnome-keyring-daemon and finding it on the session bus: sourced by
# scripts/test-session.sh (which starts it) and scripts/keyring-watchdog.sh (which starts it
# again when it fails). Both run inside the D-Bus session of scripts/test.sh, with the session's
# XDG_DATA_HOME (where the keyring file is) and XDG_RUNTIME_DIR.

# The pid of the process that owns org.freedesktop.secrets on the session bus (the bus is its
# only reliable source: --daemonize forks), or nothing.
keyring_owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ { print $2 }'
}

# Starts gnome-keyring-daemon on XDG_DATA_HOME's keyring, unlocked (or made) with the password
# given, and waits until a process other than `previous` owns the Secret Service: sets
# KEYRING_DAEMON_PID to it, or returns 1 after 10 s.
# keyring_start <password> [previous owner's pid]
keyring_start() {
  local password=$1 previous=${2:-} started line found
  started=$(printf %s "$password" | gnome-keyring-daemon --daemonize --unlock --components=secrets)
  # Older gnome-keyring versions print variables to export (GNOME_KEYRING_CONTROL=...); newer print nothing.
  while IFS= read -r line; do
    case "$line" in *=*) export "${line?}" ;; esac
  done <<<"$started"
  # --daemonize returns before the daemon owns org.freedesktop.secrets on the bus.
  for _ in $(seq 1 100); do
    found=$(keyring_owner)
    if [ -n "$found" ] && [ "$found" != "$previous" ]; then
      KEYRING_DAEMON_PID=$found
      return 0
    fi
    sleep 0.1
  done
  return 1
}

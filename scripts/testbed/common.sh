# Shared helpers of the Slurm/sshd testbed scripts (sourced, not run).
# Everything lives in one run folder: configs, keys, state, logs and the PIDs we started.

die() { echo "testbed: $*" >&2; exit 1; }
log() { echo "testbed: $*" >&2; }

# A TCP port that is free on 127.0.0.1 right now (the kernel picks it).
free_port() {
  python3 - <<'PY' 2>/dev/null || shuf -i 20000-60000 -n 1
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds;
# fails with DESCRIPTION after SECONDS.
wait_until() {
  local secs="$1" what="$2"; shift 2
  local deadline=$((SECONDS + secs))
  while ! "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "gave up after ${secs}s waiting for: $what"
      return 1
    fi
    sleep 0.2
  done
}

# alive NAME: the process recorded in pids/NAME.pid is running.
alive() {
  local f="$RUN/pids/$1.pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# stop_pid NAME GRACE: SIGTERM the recorded PID, SIGKILL after GRACE seconds, forget the PID.
stop_pid() {
  local name="$1" grace="$2" f="$RUN/pids/$1.pid" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored SIGTERM for ${grace}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 5))
      while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$f"
}

run_dir() {
  [ -n "${1:-}" ] || die "usage: $0 RUN_DIR"
  mkdir -p "$1"
  RUN="$(cd "$1" && pwd)"
  export RUN
}

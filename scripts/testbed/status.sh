#!/usr/bin/env bash
# Prints which testbed daemons in RUN_DIR are alive (by recorded PID); exit 0 only if all are.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"
run_dir "${1:-}"
ok=0
for d in munged mariadbd slurmdbd slurmctld slurmd sshd; do
  if [ "$d" = munged ] && [ -f "$RUN/pids/munged.shared" ]; then
    echo "munged: shared (not ours)"; continue
  fi
  if alive "$d"; then echo "$d: running (pid $(cat "$RUN/pids/$d.pid"))"; else echo "$d: stopped"; ok=1; fi
done
exit $ok

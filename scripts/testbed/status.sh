#!/usr/bin/env bash
# Prints which testbed daemons in RUN_DIR are alive (by recorded PID; a slurmd per node) and,
# when slurmctld is, sinfo's view of the nodes; exit 0 only if every daemon is alive.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"
run_dir "${1:-}"
ok=0
daemons=(munged mariadbd slurmdbd slurmctld)
if [ -f "$RUN/etc/nodes" ]; then
  while read -r n _; do [ -n "$n" ] && daemons+=("slurmd-$n"); done <"$RUN/etc/nodes"
else
  daemons+=(slurmd)
fi
daemons+=(sshd)
for d in "${daemons[@]}"; do
  if [ "$d" = munged ] && [ -f "$RUN/pids/munged.shared" ]; then
    echo "munged: shared (not ours)"; continue
  fi
  if alive "$d"; then echo "$d: running (pid $(cat "$RUN/pids/$d.pid"))"; else echo "$d: stopped"; ok=1; fi
done
if alive slurmctld && [ -f "$RUN/etc/slurm.conf" ]; then
  SLURM_CONF="$RUN/etc/slurm.conf" sinfo -N -o '%N %T %c %O' 2>/dev/null | sed 's/^/sinfo: /' || true
fi
exit $ok

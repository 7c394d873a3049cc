#!/usr/bin/env bash
# Installs what the testbed runs (Debian bookworm: Slurm 22.05, munge, MariaDB, OpenSSH), as
# root. Idempotent: does nothing when every program is already there. Starts no daemon.
set -euo pipefail
need=(munged slurmctld slurmd slurmdbd sbatch squeue sacct scancel sinfo mariadbd
  mariadb-install-db sshd ssh-keygen zip unzip)
missing=()
for p in "${need[@]}"; do
  command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "testbed: every package is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "testbed: missing programs (${missing[*]}) and not root: install as root with" \
    "$0, or: apt-get install slurm-wlm munge slurm-client slurmctld slurmd slurmdbd" \
    "mariadb-server openssh-server openssh-client zip unzip" >&2
  exit 1
fi
echo "testbed: installing (missing: ${missing[*]})"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq
apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends slurm-wlm munge \
  slurm-client slurmctld slurmd slurmdbd mariadb-server openssh-server openssh-client zip unzip
echo "testbed: installed"

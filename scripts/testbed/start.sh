#!/usr/bin/env bash
# Starts the testbed in RUN_DIR on this machine: munged, MariaDB, slurmdbd, slurmctld, one slurmd
# per Slurm node and sshd, on ports picked free now, with keys generated in RUN_DIR. The Slurm
# cluster has JETLAG_TESTBED_NODES nodes (default 2): node1 on 127.0.0.1, node2 on 127.0.0.2, ...
# (all of 127.0.0.0/8 is loopback on Linux), each its own 'slurmd -N nodeK' with its own port,
# spool folder, log and PID, and JETLAG_TESTBED_CPUS CPUs (default 2; several nodes on a 2-core
# machine share its cores), in one partition 'debug'. Idempotent: when everything
# recorded in RUN_DIR/pids is alive it only prints the settings; when only some of it is, it
# stops those and starts afresh. Writes RUN_DIR/testbed.env (what a client needs: SLURM_CONF,
# SSH_HOST/PORT/USER/KEY, ...). Needs root (the daemons run as root, munge and mysql);
# install first with scripts/testbed/install.sh. Stop with scripts/testbed/stop.sh RUN_DIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"
[ -n "${1:-}" ] || die "usage: $0 RUN_DIR   (environment: JETLAG_TESTBED_NODES=2 Slurm nodes,
  JETLAG_TESTBED_CPUS=2 CPUs per node)"
run_dir "${1:-}"
[ "$(id -u)" -eq 0 ] || die "start needs root (the daemons run as root, munge and mysql)"
for p in munged slurmctld slurmd slurmdbd mariadbd sshd; do
  command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
    die "$p is not installed: run $here/install.sh (as root) first"
done

nodes="${JETLAG_TESTBED_NODES:-2}"
cpus="${JETLAG_TESTBED_CPUS:-2}"
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] && [ "$nodes" -le 50 ] ||
  die "JETLAG_TESTBED_NODES: expected 1 to 50 nodes, got '$nodes'"
[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || die "JETLAG_TESTBED_CPUS: expected a positive number, got '$cpus'"
node_names=()
for ((k = 1; k <= nodes; k++)); do node_names+=("node$k"); done

# What is running now, by the PIDs recorded (the slurmds of the nodes of the last start).
daemons=(munged mariadbd slurmdbd slurmctld sshd)
if [ -f "$RUN/etc/nodes" ]; then
  while read -r n _; do [ -n "$n" ] && daemons+=("slurmd-$n"); done <"$RUN/etc/nodes"
else
  daemons+=(slurmd-none)
fi
all_alive=1
any_alive=0
for d in "${daemons[@]}"; do
  if [ "$d" = munged ] && [ -f "$RUN/pids/munged.shared" ]; then continue; fi
  if alive "$d"; then any_alive=1; else all_alive=0; fi
done
if [ "$all_alive" -eq 1 ] && [ -f "$RUN/testbed.env" ] &&
  grep -qx "SLURM_NODES=$nodes" "$RUN/testbed.env" && grep -qx "SLURM_CPUS=$cpus" "$RUN/testbed.env"; then
  log "already running in $RUN"
  cat "$RUN/testbed.env"
  exit 0
fi
if [ "$any_alive" -eq 1 ]; then
  log "partly running (or with other nodes) in $RUN: stopping what is left, then starting afresh"
  "$here/stop.sh" "$RUN"
fi

t0=$SECONDS
# munged and mariadbd run as their own users and must reach their folders in RUN_DIR.
for u in munge mysql; do
  setpriv --reuid="$u" --regid="$u" --clear-groups test -x "$RUN" 2>/dev/null ||
    die "the user '$u' cannot reach $RUN (a parent folder lacks o+x, as /root often does); use a run folder under /tmp"
done
mkdir -p "$RUN"/{etc,pids,logs,ssh,slurm/state,slurm/spool,munge,mysql}
rm -f "$RUN/testbed.env" "$RUN/pids/munged.shared"
user="$(id -un)"
slurmctld_port="$(free_port)"; dbd_port="$(free_port)"
mysql_port="$(free_port)"; ssh_port="$(free_port)"
export SLURM_CONF="$RUN/etc/slurm.conf"

# --- munge: slurmctld reaches slurmdbd through the default socket whatever AuthInfo says, so
# munged serves the default socket. One that already answers there is used, not replaced.
default_socket=/run/munge/munge.socket.2
if [ -S "$default_socket" ] && munge -n -S "$default_socket" 2>/dev/null | unmunge -S "$default_socket" >/dev/null 2>&1; then
  log "munge: a munged already answers on $default_socket; using it (it is not ours to stop)"
  touch "$RUN/pids/munged.shared"
else
  install -d -o munge -g munge -m 0755 /run/munge
  chown munge:munge "$RUN/munge"; chmod 0700 "$RUN/munge"
  if [ ! -f "$RUN/munge/munge.key" ]; then
    dd if=/dev/urandom of="$RUN/munge/munge.key" bs=1 count=1024 status=none
  fi
  chown munge:munge "$RUN/munge/munge.key"; chmod 0400 "$RUN/munge/munge.key"
  rm -f "$default_socket" "$default_socket.lock"
  setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F -f \
    --socket="$default_socket" --key-file="$RUN/munge/munge.key" \
    --pid-file="$RUN/munge/munged.pid" --seed-file="$RUN/munge/munged.seed" \
    --log-file="$RUN/munge/munged.log" </dev/null >"$RUN/logs/munged.out" 2>&1 &
  echo $! >"$RUN/pids/munged.pid"
  wait_until 20 "munged on $default_socket" \
    sh -c "munge -n -S $default_socket | unmunge -S $default_socket" ||
    { cat "$RUN/logs/munged.out" "$RUN/munge/munged.log" >&2 2>/dev/null; die "munged did not start"; }
  log "munged up (pid $(cat "$RUN/pids/munged.pid"))"
fi

# --- MariaDB for slurmdbd, on 127.0.0.1 only, data in the run folder.
chown mysql:mysql "$RUN/mysql"
if [ ! -d "$RUN/mysql/data/mysql" ]; then
  mariadb-install-db --no-defaults --user=mysql --datadir="$RUN/mysql/data" \
    --skip-test-db >"$RUN/logs/mariadb-install.log" 2>&1 ||
    { cat "$RUN/logs/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
fi
setsid /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$RUN/mysql/data" \
  --bind-address=127.0.0.1 --port="$mysql_port" --socket="$RUN/mysql/mysqld.sock" \
  --pid-file="$RUN/mysql/mariadbd.pid" --log-error="$RUN/logs/mariadbd.log" \
  --innodb-buffer-pool-size=32M --skip-name-resolve </dev/null >"$RUN/logs/mariadbd.out" 2>&1 &
echo $! >"$RUN/pids/mariadbd.pid"
wait_until 60 "MariaDB on port $mysql_port" \
  mariadb-admin --no-defaults -S "$RUN/mysql/mysqld.sock" -u root ping ||
  { tail -20 "$RUN/logs/mariadbd.log" >&2; die "MariaDB did not start"; }
dbpass="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mariadb --no-defaults -S "$RUN/mysql/mysqld.sock" -u root <<SQL
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$dbpass';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$dbpass';
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL
log "MariaDB up (pid $(cat "$RUN/pids/mariadbd.pid"), port $mysql_port)"

# --- Slurm configuration: node K is nodeK on 127.0.0.K with a port of its own (its slurmd binds
# every address, so the ports must differ). etc/nodes records "name address port" per node.
: >"$RUN/etc/nodes.tmp"
node_lines=""
for ((k = 1; k <= nodes; k++)); do
  p="$(free_port)"
  echo "node$k 127.0.0.$k $p" >>"$RUN/etc/nodes.tmp"
  node_lines+="NodeName=node$k NodeAddr=127.0.0.$k Port=$p CPUs=$cpus RealMemory=4000 State=UNKNOWN"$'\n'
done
mv "$RUN/etc/nodes.tmp" "$RUN/etc/nodes"
node_list="node[1-$nodes]"
[ "$nodes" -eq 1 ] && node_list=node1
cat >"$RUN/etc/slurm.conf" <<CONF
# Written by scripts/testbed/start.sh: a $nodes-node Slurm on 127.0.0.1..$nodes for JetLag's tests.
ClusterName=jetlag
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$slurmctld_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
StateSaveLocation=$RUN/slurm/state
SlurmdSpoolDir=$RUN/slurm/spool/%n
SlurmctldPidFile=$RUN/slurm/slurmctld.pid
SlurmdPidFile=$RUN/slurm/slurmd-%n.pid
SlurmctldLogFile=$RUN/logs/slurmctld.log
SlurmdLogFile=$RUN/logs/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=3600
KillWait=2
InactiveLimit=0
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$dbd_port
${node_lines}PartitionName=debug Nodes=$node_list Default=YES MaxTime=INFINITE State=UP
CONF
cat >"$RUN/etc/slurmdbd.conf" <<CONF
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$dbd_port
SlurmUser=root
LogFile=$RUN/logs/slurmdbd.log
PidFile=$RUN/slurm/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$mysql_port
StorageUser=slurm
StoragePass=$dbpass
StorageLoc=slurm_acct_db
CONF
chmod 0600 "$RUN/etc/slurmdbd.conf"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# slurmdbd finds slurmdbd.conf beside $SLURM_CONF.
setsid /usr/sbin/slurmdbd -D </dev/null >"$RUN/logs/slurmdbd.out" 2>&1 &
echo $! >"$RUN/pids/slurmdbd.pid"
wait_until 60 "slurmdbd on port $dbd_port" port_open "$dbd_port" ||
  { tail -20 "$RUN/logs/slurmdbd.log" "$RUN/logs/slurmdbd.out" >&2; die "slurmdbd did not start"; }
log "slurmdbd up (pid $(cat "$RUN/pids/slurmdbd.pid"), port $dbd_port)"

setsid /usr/sbin/slurmctld -D -i -f "$SLURM_CONF" </dev/null >"$RUN/logs/slurmctld.out" 2>&1 &
echo $! >"$RUN/pids/slurmctld.pid"
wait_until 60 "slurmctld on port $slurmctld_port" port_open "$slurmctld_port" ||
  { tail -20 "$RUN/logs/slurmctld.log" "$RUN/logs/slurmctld.out" >&2; die "slurmctld did not start"; }
for n in "${node_names[@]}"; do
  mkdir -p "$RUN/slurm/spool/$n"
  setsid /usr/sbin/slurmd -D -N "$n" -f "$SLURM_CONF" </dev/null >"$RUN/logs/slurmd-$n.out" 2>&1 &
  echo $! >"$RUN/pids/slurmd-$n.pid"
done
all_idle() { [ "$(sinfo -h -N -o '%N %T' 2>/dev/null | grep -c ' idle$')" -eq "$nodes" ]; }
wait_until 90 "all $nodes nodes to be idle in sinfo" all_idle ||
  { sinfo -N -l >&2 || true; tail -20 "$RUN/logs/slurmctld.log" "$RUN"/logs/slurmd-*.log >&2; die "Slurm did not come up"; }
log "slurmctld (pid $(cat "$RUN/pids/slurmctld.pid")) and $nodes slurmds up, nodes idle:" \
  "$(for n in "${node_names[@]}"; do printf '%s (pid %s) ' "$n" "$(cat "$RUN/pids/slurmd-$n.pid")"; done)"

# --- sshd on 127.0.0.1 with its own host key; the client key is authorised for this user.
# ed25519 for OpenSSH clients; ECDSA P-256 as well, which Java's SSH client (Apache MINA SSHD)
# handles with the JDK alone (its ed25519 needs an extra library).
for k in host_ed25519:ed25519 id_ed25519:ed25519 host_ecdsa:ecdsa id_ecdsa:ecdsa; do
  [ -f "$RUN/ssh/${k%%:*}" ] || ssh-keygen -q -t "${k##*:}" -N '' -f "$RUN/ssh/${k%%:*}"
  chmod 0600 "$RUN/ssh/${k%%:*}"
done
cat "$RUN/ssh/id_ed25519.pub" "$RUN/ssh/id_ecdsa.pub" >"$RUN/ssh/authorized_keys"
chmod 0600 "$RUN/ssh/authorized_keys"
install -d -m 0755 /run/sshd
cat >"$RUN/etc/sshd_config" <<CONF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $RUN/ssh/host_ed25519
HostKey $RUN/ssh/host_ecdsa
PidFile $RUN/ssh/sshd.pid
AuthorizedKeysFile $RUN/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv SLURM_CONF=$SLURM_CONF
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -t -f "$RUN/etc/sshd_config" || die "sshd_config rejected by sshd -t"
setsid /usr/sbin/sshd -D -e -f "$RUN/etc/sshd_config" </dev/null >"$RUN/logs/sshd.log" 2>&1 &
echo $! >"$RUN/pids/sshd.pid"
wait_until 20 "sshd on port $ssh_port" port_open "$ssh_port" ||
  { cat "$RUN/logs/sshd.log" >&2; die "sshd did not start"; }
log "sshd up (pid $(cat "$RUN/pids/sshd.pid"), port $ssh_port)"

{ printf '[127.0.0.1]:%s ' "$ssh_port"; cat "$RUN/ssh/host_ed25519.pub"
  printf '[127.0.0.1]:%s ' "$ssh_port"; cat "$RUN/ssh/host_ecdsa.pub"; } >"$RUN/ssh/known_hosts"
cat >"$RUN/testbed.env.tmp" <<ENV
RUN_DIR=$RUN
SLURM_CONF=$SLURM_CONF
SSH_HOST=127.0.0.1
SSH_PORT=$ssh_port
SSH_USER=$user
SSH_KEY=$RUN/ssh/id_ed25519
SSH_JAVA_KEY=$RUN/ssh/id_ecdsa
SSH_HOST_KEY_PUB=$RUN/ssh/host_ecdsa.pub
SSH_KNOWN_HOSTS=$RUN/ssh/known_hosts
SLURM_PARTITION=debug
SLURM_CPUS=$cpus
SLURM_NODES=$nodes
SLURM_NODE_NAMES=${node_names[*]}
ENV
mv "$RUN/testbed.env.tmp" "$RUN/testbed.env"
log "testbed up in $((SECONDS - t0))s: $RUN/testbed.env"
cat "$RUN/testbed.env"

#!/usr/bin/env bash
# Makes this Debian 12 machine ready for kiln's integration tests, and keeps it so.
#
#   scripts/test-env.sh [up]     install what is missing, start what is not running (default)
#   scripts/test-env.sh status   print what is up; exit 1 if a component is down
#   scripts/test-env.sh down     stop the Docker engine and the sshd this script started
#
# Contract:
# - Runs as root. Idempotent: when everything is up, `up` only checks and rewrites the description file.
# - Packages come from Debian's archive only (apt-get); base images are built locally (busybox-static,
#   debootstrap) because no image registry is reachable.
# - The Docker engine runs with no bridge and no iptables rules: containers get loopback only
#   (`--network none` or the default, which is the same here). No network in a private range is created.
# - sshd listens on 127.0.0.1:2222 only, with its own config, host keys and pid file under the state dir.
# - What is up is written to $KILN_TEST_STATE/env.json (schema in test/support/env.ts), which the tests read.
#
# Environment (all optional):
#   KILN_TEST_STATE   state dir: env.json, ssh keys, sshd config     (default /var/lib/kiln-test)
#   KILN_TEST_CACHE   cache dir: debootstrap tarball                  (default /var/cache/kiln-test)
#   KILN_TEST_LOG     log dir: dockerd.log, sshd.log                  (default /var/log/kiln-test)
#   KILN_TEST_DOCKER_STORAGE_DRIVER  force a storage driver (default: the engine's choice, vfs on failure)
#   KILN_TEST_DEBIAN_MIRROR          debootstrap mirror             (default http://deb.debian.org/debian)
set -euo pipefail

STATE_DIR=${KILN_TEST_STATE:-/var/lib/kiln-test}
CACHE_DIR=${KILN_TEST_CACHE:-/var/cache/kiln-test}
LOG_DIR=${KILN_TEST_LOG:-/var/log/kiln-test}
ENV_JSON="$STATE_DIR/env.json"

DOCKER_SOCKET=/var/run/docker.sock
DOCKER_PIDFILE=/var/run/docker.pid
CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid
DOCKER_LOG="$LOG_DIR/dockerd.log"
DOCKER_START_TIMEOUT=90
BUSYBOX_IMAGE=kiln-test/busybox:latest
DEBIAN_SUITE=bookworm
DEBIAN_IMAGE=kiln-test/debian:$DEBIAN_SUITE
DEBIAN_MIRROR=${KILN_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}

SSH_HOST=127.0.0.1
SSH_PORT=2222
SSH_USER=kiln
SSH_PASSWORD=kiln-test-password
SSH_DIR="$STATE_DIR/ssh"
SSHD_CONFIG="$SSH_DIR/sshd_config"
SSHD_PIDFILE="$SSH_DIR/sshd.pid"
SSHD_LOG="$LOG_DIR/sshd.log"

PACKAGES=(docker.io openssh-server openssh-client busybox-static debootstrap packer sudo tar)

# The engine on the default socket, whatever the caller's shell points the client at.
export DOCKER_HOST="unix://$DOCKER_SOCKET"
unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
export DEBIAN_FRONTEND=noninteractive

T0=$(date +%s%N)
SUMMARY=()

log() { printf 'test-env: %s\n' "$*" >&2; }
die() {
  printf 'test-env: ERROR: %s\n' "$*" >&2
  exit 1
}
summary() { SUMMARY+=("$(printf '%-8s %s' "$1" "$2")"); }
elapsed() { echo "$((($(date +%s%N) - T0) / 1000000)) ms"; }

# alive PID: the process exists and is not a zombie. (Where PID 1 does not reap orphans, a killed daemon
# stays behind as a zombie that `kill -0` still finds.)
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

# pid_is PIDFILE NAME: the pid file names a live process whose command is NAME; prints the pid.
pid_is() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(tr -dc '0-9' <"$1")
  [[ -n $pid ]] && alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] || return 1
  echo "$pid"
}

# stop_pid PID NAME: SIGTERM, then SIGKILL after 10 s.
stop_pid() {
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# --- 1. packages ---------------------------------------------------------------------------------------

ensure_packages() {
  local missing=() p status
  for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    summary packages "all present (${PACKAGES[*]})"
    return
  fi
  log "installing: ${missing[*]}"
  # Package scripts must not start services: docker.io's would start an engine with a default bridge in a
  # private range, openssh-server's an sshd on port 22 of every interface.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# kiln test-env: no service starts during apt-get install\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    own_policy=1
  fi
  # An unreachable third-party source must not stop the install from Debian's archive.
  apt-get update -qq || log "apt-get update reported errors; trying the install anyway"
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt-get.log" 2>&1; then
    ((own_policy)) && rm -f "$policy"
    tail -n 30 "$LOG_DIR/apt-get.log" >&2
    die "apt-get install ${missing[*]} failed (full log: $LOG_DIR/apt-get.log)"
  fi
  ((own_policy)) && rm -f "$policy"
  summary packages "installed ${missing[*]}"
}

# --- 2. Docker engine ----------------------------------------------------------------------------------

docker_answers() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

docker_storage_driver() { timeout 10 docker info --format '{{.Driver}}' 2>/dev/null; }

start_dockerd() {
  local driver=$1 pid
  local args=(
    --host="unix://$DOCKER_SOCKET" --pidfile="$DOCKER_PIDFILE"
    --bridge=none --iptables=false --ip-masq=false --ip-forward=false
  )
  if dockerd --help 2>&1 | grep -q -- '--ip6tables'; then args+=(--ip6tables=false); fi
  [[ -n $driver ]] && args+=(--storage-driver="$driver")

  # A pid file whose process is gone (killed engine, reused pid) makes dockerd refuse to start; a stale
  # containerd pid file makes it wait for a containerd that will never answer, then give up.
  if [[ -e $DOCKER_PIDFILE ]] && ! pid_is "$DOCKER_PIDFILE" dockerd >/dev/null; then
    log "removing stale $DOCKER_PIDFILE"
    rm -f "$DOCKER_PIDFILE"
  fi
  if [[ -e $CONTAINERD_PIDFILE ]] && ! pid_is "$CONTAINERD_PIDFILE" containerd >/dev/null; then
    log "removing stale $CONTAINERD_PIDFILE"
    rm -f "$CONTAINERD_PIDFILE"
  fi
  [[ -f $DOCKER_LOG ]] && mv -f "$DOCKER_LOG" "$DOCKER_LOG.1"
  log "starting dockerd ${args[*]} (log: $DOCKER_LOG)"
  # setsid + nohup: the engine outlives this script and its terminal; fd 9 (the lock) is not inherited.
  setsid nohup dockerd "${args[@]}" >"$DOCKER_LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  for _ in $(seq 1 $((DOCKER_START_TIMEOUT * 4))); do
    if docker_answers; then return 0; fi
    if ! alive "$pid"; then
      log "dockerd exited during start-up; last lines of $DOCKER_LOG:"
      tail -n 25 "$DOCKER_LOG" >&2
      return 1
    fi
    sleep 0.25
  done
  log "dockerd did not answer within ${DOCKER_START_TIMEOUT}s; last lines of $DOCKER_LOG:"
  tail -n 25 "$DOCKER_LOG" >&2
  stop_pid "$pid" dockerd
  return 1
}

stop_dockerd() {
  local pid
  if pid=$(pid_is "$DOCKER_PIDFILE" dockerd); then
    log "stopping dockerd (pid $pid)"
    stop_pid "$pid" dockerd
  fi
}

DOCKER_STARTED=0
ensure_docker() {
  local pid driver
  if docker_answers; then
    DOCKER_DRIVER=$(docker_storage_driver)
    summary docker "engine $(docker version --format '{{.Server.Version}}') already answering on $DOCKER_SOCKET (storage $DOCKER_DRIVER)"
    return
  fi
  # A dockerd that is alive but not answering is either still starting or wedged: give it a moment, then
  # replace it.
  if pid=$(pid_is "$DOCKER_PIDFILE" dockerd); then
    log "dockerd (pid $pid) is running but not answering; waiting up to 20 s"
    for _ in $(seq 1 40); do
      docker_answers && break
      sleep 0.5
    done
    if ! docker_answers; then
      log "dockerd (pid $pid) still not answering; restarting it"
      stop_pid "$pid" dockerd
    fi
  fi
  if ! docker_answers; then
    driver=${KILN_TEST_DOCKER_STORAGE_DRIVER:-$(cat "$STATE_DIR/docker-storage-driver" 2>/dev/null || true)}
    if ! start_dockerd "$driver"; then
      # Only a storage driver failure (overlay on an overlay root, say) is worth a retry with vfs.
      if [[ $driver == vfs ]] || ! grep -qiE '(error|fail).*(graphdriver|storage.driver|overlay)' "$DOCKER_LOG"; then
        die "the Docker engine did not start (log: $DOCKER_LOG)"
      fi
      log "retrying with --storage-driver=vfs"
      start_dockerd vfs || die "the Docker engine did not start, even with the vfs storage driver (log: $DOCKER_LOG)"
    fi
    DOCKER_STARTED=1
  fi
  DOCKER_DRIVER=$(docker_storage_driver)
  summary docker "engine $(docker version --format '{{.Server.Version}}') started on $DOCKER_SOCKET (storage $DOCKER_DRIVER, no bridge, log $DOCKER_LOG)"
}

# Runs a container from the busybox image with no network; on an overlay mount failure in an engine this run
# started, moves the engine to vfs.
verify_docker_run() {
  local out
  if out=$(timeout 60 docker run --rm --network none "$BUSYBOX_IMAGE" echo kiln-test-ok 2>&1) &&
    [[ $out == *kiln-test-ok* ]]; then
    # The driver that worked is used at the next start, unless it was forced for this run only.
    [[ -n ${KILN_TEST_DOCKER_STORAGE_DRIVER:-} ]] || echo "$DOCKER_DRIVER" >"$STATE_DIR/docker-storage-driver"
    return 0
  fi
  log "docker run --network none $BUSYBOX_IMAGE failed: $out"
  # The overlay driver can load and still fail at the first mount (overlay on an overlay root, say).
  if [[ $DOCKER_DRIVER != vfs && -z ${KILN_TEST_DOCKER_STORAGE_DRIVER:-} && $out == *[Oo]verlay* ]] &&
    ((DOCKER_STARTED)); then
    log "restarting the engine with --storage-driver=vfs"
    stop_dockerd
    start_dockerd vfs || die "the Docker engine did not start with the vfs storage driver (log: $DOCKER_LOG)"
    DOCKER_DRIVER=vfs
    echo vfs >"$STATE_DIR/docker-storage-driver"
    ensure_images
    out=$(timeout 60 docker run --rm --network none "$BUSYBOX_IMAGE" echo kiln-test-ok 2>&1) &&
      [[ $out == *kiln-test-ok* ]] && return 0
    log "docker run still fails with vfs: $out"
  fi
  die "containers do not run (log: $DOCKER_LOG)"
}

# --- 3. base images ------------------------------------------------------------------------------------

image_exists() { docker image inspect --format '{{.Id}}' "$1" >/dev/null 2>&1; }

# Temporary trees, removed on any exit (a failed build included).
CLEANUP_DIRS=()
cleanup() {
  local d
  for d in "${CLEANUP_DIRS[@]}"; do remove_tree "$d"; done
  [[ -n ${DEBIAN_TARBALL_PARTIAL:-} ]] && rm -f "$DEBIAN_TARBALL_PARTIAL"
  return 0
}
trap cleanup EXIT

# Unmounts anything left mounted below DIR (a failed debootstrap leaves proc/sys), then removes DIR.
remove_tree() {
  local dir=$1 m
  [[ -d $dir ]] || return 0
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

build_busybox_image() {
  local root applet version
  root=$(mktemp -d "$CACHE_DIR/busybox-rootfs.XXXXXX")
  CLEANUP_DIRS+=("$root")
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,home,proc,sys,dev}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 0700 "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  # --list-full names each applet with its install path (bin/sh, usr/bin/awk, sbin/ifconfig, ...).
  while read -r applet; do
    [[ -n $applet && $applet != bin/busybox ]] || continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  [[ -L $root/bin/sh ]] || die "busybox has no sh applet"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  version=$(dpkg-query -W -f='${Version}' busybox-static)
  tar -C "$root" --numeric-owner -cf - . |
    docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'CMD ["/bin/sh"]' \
      -c "LABEL org.kiln.test.source=\"busybox-static $version\"" \
      -m "kiln test image from Debian busybox-static $version" \
      - "$BUSYBOX_IMAGE" >/dev/null
  remove_tree "$root"
}

debian_tarball() { echo "$CACHE_DIR/debian-$DEBIAN_SUITE-minbase-$(dpkg --print-architecture).tar"; }

build_debian_tarball() {
  local tarball=$1 root
  root=$(mktemp -d "$CACHE_DIR/debian-rootfs.XXXXXX")
  CLEANUP_DIRS+=("$root")
  log "debootstrap --variant=minbase $DEBIAN_SUITE from $DEBIAN_MIRROR (a few minutes; log: $LOG_DIR/debootstrap.log)"
  if ! debootstrap --variant=minbase --arch="$(dpkg --print-architecture)" "$DEBIAN_SUITE" "$root" \
    "$DEBIAN_MIRROR" >"$LOG_DIR/debootstrap.log" 2>&1; then
    tail -n 20 "$LOG_DIR/debootstrap.log" >&2
    [[ -f $root/debootstrap/debootstrap.log ]] && tail -n 20 "$root/debootstrap/debootstrap.log" >&2
    die "debootstrap failed (log: $LOG_DIR/debootstrap.log)"
  fi
  # Downloaded packages and index files are not part of an image.
  rm -rf "${root:?}"/var/cache/apt/archives/*.deb "${root:?}"/var/lib/apt/lists/* "${root:?}"/tmp/* "${root:?}"/dev/*
  DEBIAN_TARBALL_PARTIAL="$tarball.partial"
  tar -C "$root" --numeric-owner --xattrs -cf "$tarball.partial" .
  mv -f "$tarball.partial" "$tarball"
  remove_tree "$root"
}

build_debian_image() {
  local tarball
  tarball=$(debian_tarball)
  if [[ ! -s $tarball ]]; then
    build_debian_tarball "$tarball"
  else
    log "using cached $tarball"
  fi
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["/bin/bash"]' \
    -c "LABEL org.kiln.test.source=\"debootstrap --variant=minbase $DEBIAN_SUITE\"" \
    -m "kiln test image: debootstrap --variant=minbase $DEBIAN_SUITE" \
    "$tarball" "$DEBIAN_IMAGE" >/dev/null
}

ensure_images() {
  local built=()
  if ! image_exists "$BUSYBOX_IMAGE"; then
    log "building $BUSYBOX_IMAGE from busybox-static"
    build_busybox_image
    built+=("$BUSYBOX_IMAGE")
  fi
  if ! image_exists "$DEBIAN_IMAGE"; then
    log "building $DEBIAN_IMAGE"
    build_debian_image
    built+=("$DEBIAN_IMAGE")
  fi
  if ((${#built[@]})); then
    summary images "built ${built[*]}; present: $BUSYBOX_IMAGE $DEBIAN_IMAGE"
  else
    summary images "present: $BUSYBOX_IMAGE $DEBIAN_IMAGE"
  fi
  IMAGES_BUILT=${#built[@]}
}

# --- 4. sshd on 127.0.0.1:2222 -------------------------------------------------------------------------

# The server's identification string starts with "SSH-".
ssh_port_answers() {
  timeout 3 bash -c "exec 3<>/dev/tcp/$SSH_HOST/$SSH_PORT && head -c 4 <&3" 2>/dev/null | grep -q '^SSH-'
}

ROOT_LOGIN=false
ensure_ssh_user() {
  local created=0 shadow_hash
  if ! id -u "$SSH_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$SSH_USER"
    created=1
  fi
  local home
  home=$(getent passwd "$SSH_USER" | cut -d: -f6)
  if [[ ! -d $home ]]; then
    mkdir -p "$home"
    cp -rT /etc/skel "$home" 2>/dev/null || true
    chown -R "$SSH_USER:" "$home"
  fi
  # The password is set when the user is new or when the stored hash no longer matches it.
  # The marker holds the password and the hash chpasswd made of it.
  shadow_hash=$(getent shadow "$SSH_USER" | cut -d: -f2)
  if ((created)) || [[ "$SSH_PASSWORD $shadow_hash" != "$(cat "$SSH_DIR/.password-set" 2>/dev/null || true)" ]]; then
    echo "$SSH_USER:$SSH_PASSWORD" | chpasswd
    echo "$SSH_PASSWORD $(getent shadow "$SSH_USER" | cut -d: -f2)" >"$SSH_DIR/.password-set"
    chmod 0600 "$SSH_DIR/.password-set"
  fi
  # Provisioners often run `sudo`: the test user may, without a password (`echo pw | sudo -S` works too).
  local sudoers=/etc/sudoers.d/kiln-test line="$SSH_USER ALL=(ALL:ALL) NOPASSWD:ALL"
  if [[ $(cat "$sudoers" 2>/dev/null || true) != "$line" ]]; then
    echo "$line" >"$sudoers.tmp"
    chmod 0440 "$sudoers.tmp"
    visudo -cqf "$sudoers.tmp" || die "generated $sudoers is invalid"
    mv -f "$sudoers.tmp" "$sudoers"
  fi
  # Without PAM, sshd refuses any login to an account whose hash starts with "!" (locked).
  if [[ $(getent shadow root | cut -d: -f2) != '!'* ]]; then ROOT_LOGIN=true; fi
}

ensure_ssh_keys() {
  local k
  mkdir -p "$SSH_DIR/authorized_keys"
  chmod 0755 "$SSH_DIR" "$SSH_DIR/authorized_keys"
  for k in ed25519 rsa; do
    [[ -s $SSH_DIR/ssh_host_${k}_key ]] ||
      ssh-keygen -q -t "$k" -N '' -C "kiln-test-host" -f "$SSH_DIR/ssh_host_${k}_key" </dev/null
  done
  # The test client keys: id_ed25519 and id_rsa are authorized, unauthorized_ed25519 is not.
  [[ -s $SSH_DIR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C kiln-test -f "$SSH_DIR/id_ed25519" </dev/null
  [[ -s $SSH_DIR/id_rsa ]] || ssh-keygen -q -t rsa -b 3072 -N '' -C kiln-test-rsa -f "$SSH_DIR/id_rsa" </dev/null
  [[ -s $SSH_DIR/unauthorized_ed25519 ]] ||
    ssh-keygen -q -t ed25519 -N '' -C kiln-test-unauthorized -f "$SSH_DIR/unauthorized_ed25519" </dev/null
  local keys
  keys=$(cat "$SSH_DIR/id_ed25519.pub" "$SSH_DIR/id_rsa.pub")
  for k in "$SSH_USER" root; do
    if [[ $(cat "$SSH_DIR/authorized_keys/$k" 2>/dev/null || true) != "$keys" ]]; then
      printf '%s\n' "$keys" >"$SSH_DIR/authorized_keys/$k"
    fi
    chmod 0644 "$SSH_DIR/authorized_keys/$k"
  done
  # known_hosts for strict host key checking against this server.
  local known
  known=$(for k in ed25519 rsa; do
    printf '[%s]:%s %s\n' "$SSH_HOST" "$SSH_PORT" "$(cut -d' ' -f1-2 "$SSH_DIR/ssh_host_${k}_key.pub")"
  done)
  [[ $(cat "$SSH_DIR/known_hosts" 2>/dev/null || true) == "$known" ]] || printf '%s\n' "$known" >"$SSH_DIR/known_hosts"
}

sshd_config_text() {
  cat <<EOF
# kiln test sshd: generated by scripts/test-env.sh; rewritten (and sshd restarted) when it changes.
ListenAddress $SSH_HOST:$SSH_PORT
HostKey $SSH_DIR/ssh_host_ed25519_key
HostKey $SSH_DIR/ssh_host_rsa_key
PidFile $SSHD_PIDFILE
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication yes
PermitEmptyPasswords no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AuthorizedKeysFile $SSH_DIR/authorized_keys/%u .ssh/authorized_keys
StrictModes yes
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding yes
AllowAgentForwarding yes
PermitTunnel no
AcceptEnv LANG LC_* PACKER_* KILN_*
MaxStartups 64:30:128
MaxSessions 64
MaxAuthTries 6
LoginGraceTime 30
ClientAliveInterval 0
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
}

start_sshd() {
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
  /usr/sbin/sshd -t -f "$SSHD_CONFIG" || die "sshd rejects $SSHD_CONFIG"
  [[ -f $SSHD_LOG ]] && mv -f "$SSHD_LOG" "$SSHD_LOG.1"
  rm -f "$SSHD_PIDFILE"
  # sshd daemonizes itself and writes the pid file; -E sends its log to a file.
  /usr/sbin/sshd -f "$SSHD_CONFIG" -E "$SSHD_LOG" </dev/null 9>&- || die "sshd failed to start (log: $SSHD_LOG)"
  for _ in $(seq 1 100); do
    ssh_port_answers && return 0
    sleep 0.1
  done
  tail -n 20 "$SSHD_LOG" >&2 || true
  die "sshd did not answer on $SSH_HOST:$SSH_PORT within 10 s (log: $SSHD_LOG)"
}

stop_sshd() {
  local pid
  if pid=$(pid_is "$SSHD_PIDFILE" sshd); then
    log "stopping sshd (pid $pid)"
    stop_pid "$pid" sshd
  fi
  rm -f "$SSHD_PIDFILE"
}

# The pid listening on the ssh port ("" when free).
port_owner() {
  { ss -Hltnp "sport = :$SSH_PORT" 2>/dev/null || true; } | { grep -o 'pid=[0-9]*' || true; } | head -n1 | cut -d= -f2
}

verify_ssh_login() {
  local out
  if out=$(timeout 20 ssh -F /dev/null -i "$SSH_DIR/id_ed25519" -p "$SSH_PORT" \
    -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o ConnectTimeout=10 \
    "$SSH_USER@$SSH_HOST" echo kiln-test-ok 2>&1) && [[ $out == *kiln-test-ok* ]]; then
    return 0
  fi
  die "key login as $SSH_USER@$SSH_HOST:$SSH_PORT failed: $out (log: $SSHD_LOG)"
}

ensure_sshd() {
  mkdir -p "$SSH_DIR"
  ensure_ssh_keys
  ensure_ssh_user
  local want pid owner why=""
  want=$(sshd_config_text)
  if [[ $(cat "$SSHD_CONFIG" 2>/dev/null || true) != "$want" ]]; then
    printf '%s\n' "$want" >"$SSHD_CONFIG"
    why="config changed"
  fi
  if pid=$(pid_is "$SSHD_PIDFILE" sshd); then
    if [[ -n $why ]]; then
      log "restarting sshd (pid $pid): $why"
      stop_pid "$pid" sshd
    elif ssh_port_answers; then
      summary ssh "sshd (pid $pid) already answering on $SSH_HOST:$SSH_PORT (user $SSH_USER)"
      return
    else
      log "sshd (pid $pid) is not answering on $SSH_HOST:$SSH_PORT; restarting it"
      stop_pid "$pid" sshd
    fi
  fi
  owner=$(port_owner)
  if [[ -n $owner ]]; then
    die "port $SSH_HOST:$SSH_PORT is taken by pid $owner ($(tr '\0' ' ' <"/proc/$owner/cmdline" 2>/dev/null)), not by this script's sshd"
  fi
  start_sshd
  verify_ssh_login
  pid=$(pid_is "$SSHD_PIDFILE" sshd || echo '?')
  summary ssh "sshd (pid $pid) started on $SSH_HOST:$SSH_PORT (user $SSH_USER, key + password, root by key: $ROOT_LOGIN, log $SSHD_LOG)"
}

# --- 4b. image registry on 127.0.0.1:5000 (docker-push tests) -----------------------------------------
# Debian's docker-registry (distribution 2.x), started by this script (never by the package's init script)
# with its own config: plain HTTP on loopback only (the engine trusts 127.0.0.0/8 without TLS), storage,
# pid file and log under the state and log dirs. Described in env.json as "registry".

REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_DIR="$STATE_DIR/registry"
REGISTRY_CONFIG="$REGISTRY_DIR/config.yml"
REGISTRY_PIDFILE="$REGISTRY_DIR/registry.pid"
REGISTRY_LOG="$LOG_DIR/registry.log"

registry_answers() { timeout 5 curl -fsS -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null; }

ensure_registry() {
  local status pid own_policy=0 policy=/usr/sbin/policy-rc.d
  status=$(dpkg-query -W -f='${Status}' docker-registry 2>/dev/null || true)
  if [[ $status != "install ok installed" ]]; then
    log "installing: docker-registry"
    # As in ensure_packages: the package's scripts must not start the registry on every interface.
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\n# kiln test-env: no service starts during apt-get install\nexit 101\n' >"$policy"
      chmod 0755 "$policy"
      own_policy=1
    fi
    apt-get update -qq || log "apt-get update reported errors; trying the install anyway"
    if ! apt-get install -y -qq --no-install-recommends docker-registry >"$LOG_DIR/apt-get.log" 2>&1; then
      ((own_policy)) && rm -f "$policy"
      tail -n 30 "$LOG_DIR/apt-get.log" >&2
      die "apt-get install docker-registry failed (full log: $LOG_DIR/apt-get.log)"
    fi
    ((own_policy)) && rm -f "$policy"
  fi
  mkdir -p "$REGISTRY_DIR/storage"
  local want
  want=$(printf '%s\n' "# kiln test registry: generated by scripts/test-env.sh" "version: 0.1" \
    "storage:" "  filesystem:" "    rootdirectory: $REGISTRY_DIR/storage" "  delete:" "    enabled: true" \
    "http:" "  addr: $REGISTRY_ADDR" "log:" "  level: warn")
  if [[ $(cat "$REGISTRY_CONFIG" 2>/dev/null || true) != "$want" ]]; then
    printf '%s\n' "$want" >"$REGISTRY_CONFIG"
    if pid=$(pid_is "$REGISTRY_PIDFILE" docker-registry); then stop_pid "$pid" docker-registry; fi
  fi
  if pid=$(pid_is "$REGISTRY_PIDFILE" docker-registry) && registry_answers; then
    summary registry "docker-registry (pid $pid) already answering on $REGISTRY_ADDR"
    return
  fi
  [[ -n ${pid:-} ]] && stop_pid "$pid" docker-registry
  [[ -f $REGISTRY_LOG ]] && mv -f "$REGISTRY_LOG" "$REGISTRY_LOG.1"
  setsid nohup docker-registry serve "$REGISTRY_CONFIG" >"$REGISTRY_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$REGISTRY_PIDFILE"
  for _ in $(seq 1 100); do
    registry_answers && break
    sleep 0.1
  done
  registry_answers || die "docker-registry did not answer on $REGISTRY_ADDR within 10 s (log: $REGISTRY_LOG)"
  summary registry "docker-registry (pid $(cat "$REGISTRY_PIDFILE")) started on $REGISTRY_ADDR (log $REGISTRY_LOG)"
}

stop_registry() {
  local pid
  if pid=$(pid_is "$REGISTRY_PIDFILE" docker-registry); then
    log "stopping docker-registry (pid $pid)"
    stop_pid "$pid" docker-registry
  fi
  rm -f "$REGISTRY_PIDFILE"
}

# --- 5. env.json ---------------------------------------------------------------------------------------

write_env_json() {
  local tmp="$ENV_JSON.tmp" fp_ed fp_rsa packer_version
  fp_ed=$(ssh-keygen -lf "$SSH_DIR/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
  fp_rsa=$(ssh-keygen -lf "$SSH_DIR/ssh_host_rsa_key.pub" | cut -d' ' -f2)
  packer_version=$(dpkg-query -W -f='${Version}' packer)
  packer_version=${packer_version%%+*}
  cat >"$tmp" <<EOF
{
  "schemaVersion": 1,
  "stateDir": $(json_str "$STATE_DIR"),
  "cacheDir": $(json_str "$CACHE_DIR"),
  "logDir": $(json_str "$LOG_DIR"),
  "docker": {
    "host": $(json_str "unix://$DOCKER_SOCKET"),
    "socketPath": $(json_str "$DOCKER_SOCKET"),
    "serverVersion": $(json_str "$DOCKER_VERSION"),
    "apiVersion": $(json_str "$DOCKER_API_VERSION"),
    "storageDriver": $(json_str "$DOCKER_DRIVER"),
    "pidFile": $(json_str "$DOCKER_PIDFILE"),
    "logFile": $(json_str "$DOCKER_LOG"),
    "network": "none",
    "images": {
      "busybox": $(json_str "$BUSYBOX_IMAGE"),
      "debian": $(json_str "$DEBIAN_IMAGE")
    }
  },
  "ssh": {
    "host": $(json_str "$SSH_HOST"),
    "port": $SSH_PORT,
    "user": $(json_str "$SSH_USER"),
    "password": $(json_str "$SSH_PASSWORD"),
    "privateKeyPath": $(json_str "$SSH_DIR/id_ed25519"),
    "publicKeyPath": $(json_str "$SSH_DIR/id_ed25519.pub"),
    "rsaPrivateKeyPath": $(json_str "$SSH_DIR/id_rsa"),
    "unauthorizedPrivateKeyPath": $(json_str "$SSH_DIR/unauthorized_ed25519"),
    "knownHostsPath": $(json_str "$SSH_DIR/known_hosts"),
    "hostKeyFingerprints": { "ed25519": $(json_str "$fp_ed"), "rsa": $(json_str "$fp_rsa") },
    "rootLogin": $ROOT_LOGIN,
    "sudo": "nopasswd",
    "configPath": $(json_str "$SSHD_CONFIG"),
    "pidFile": $(json_str "$SSHD_PIDFILE"),
    "logFile": $(json_str "$SSHD_LOG")
  },
  "packer": {
    "path": $(json_str "$(command -v packer || echo /usr/bin/packer)"),
    "version": $(json_str "$packer_version")
  },
  "registry": {
    "address": $(json_str "$REGISTRY_ADDR"),
    "pidFile": $(json_str "$REGISTRY_PIDFILE"),
    "logFile": $(json_str "$REGISTRY_LOG")
  }
}
EOF
  chmod 0644 "$tmp"
  mv -f "$tmp" "$ENV_JSON"
}

# --- status / down -------------------------------------------------------------------------------------

cmd_status() {
  local rc=0 pid
  if docker_answers; then
    echo "docker   up: engine $(docker version --format '{{.Server.Version}}') on $DOCKER_SOCKET"
    for img in "$BUSYBOX_IMAGE" "$DEBIAN_IMAGE"; do
      if image_exists "$img"; then echo "image    present: $img"; else
        echo "image    MISSING: $img"
        rc=1
      fi
    done
  else
    echo "docker   DOWN: nothing answers on $DOCKER_SOCKET"
    rc=1
  fi
  if pid=$(pid_is "$SSHD_PIDFILE" sshd) && ssh_port_answers; then
    echo "ssh      up: sshd (pid $pid) on $SSH_HOST:$SSH_PORT"
  else
    echo "ssh      DOWN: no sshd of this script answers on $SSH_HOST:$SSH_PORT"
    rc=1
  fi
  [[ -f $ENV_JSON ]] && echo "env      $ENV_JSON" || echo "env      no $ENV_JSON"
  return $rc
}

cmd_down() {
  stop_registry
  stop_sshd
  stop_dockerd
  log "stopped (images, keys and caches are kept)"
}

cmd_up() {
  ensure_packages
  ensure_docker
  IMAGES_BUILT=0
  ensure_images
  if ((DOCKER_STARTED || IMAGES_BUILT)) || [[ ! -s $STATE_DIR/docker-storage-driver ]]; then
    verify_docker_run
  fi
  DOCKER_VERSION=$(docker version --format '{{.Server.Version}}')
  DOCKER_API_VERSION=$(docker version --format '{{.Server.APIVersion}}')
  ensure_sshd
  local fp
  fp=$(ssh-keygen -lf "$SSH_DIR/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
  summary keys "$SSH_DIR/id_ed25519 (authorized), $SSH_DIR/unauthorized_ed25519 (not), host key $fp"
  # Image registry for docker-push tests (section 4b).
  ensure_registry
  write_env_json
  summary env "$ENV_JSON"
  # QEMU test image: scripts/qemu-image.sh builds it once (it reads env.json for the authorized key) and
  # describes it in $STATE_DIR/qemu-image.json; a cached image that matches its recipe is only checked.
  bash "$(dirname "${BASH_SOURCE[0]}")/qemu-image.sh" up 9>&- || die "scripts/qemu-image.sh failed"
  printf '%s\n' "${SUMMARY[@]}"
  echo "test environment ready in $(elapsed): $ENV_JSON"
}

main() {
  local cmd=${1:-up}
  case $cmd in
  up | status | down) ;;
  -h | --help)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    return 0
    ;;
  *) die "unknown command '$cmd' (use: up, status, down)" ;;
  esac
  [[ $(id -u) == 0 ]] || die "must run as root (it installs packages and starts system services)"
  mkdir -p "$STATE_DIR" "$CACHE_DIR" "$LOG_DIR"
  chmod 0755 "$STATE_DIR"
  # One run at a time: a second caller waits for the first to finish, then finds everything up.
  exec 9>"$STATE_DIR/.lock"
  if ! flock -n 9; then
    log "another test-env.sh run holds $STATE_DIR/.lock; waiting for it"
    flock 9
  fi
  "cmd_$cmd"
}

main "$@"

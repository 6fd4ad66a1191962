#!/usr/bin/env bash
# Builds the small bootable Debian 12 disk image that kiln's QEMU builder tests boot, and keeps it cached.
#
#   scripts/qemu-image.sh [up]     build the image unless the cached one matches the recipe (default)
#   scripts/qemu-image.sh status   print the cached image; exit 1 if it is missing or does not match
#   scripts/qemu-image.sh rebuild  build even if the cached image matches
#
# Contract:
# - Runs as root. Idempotent: when the cached image matches the recipe, `up` only checks it and rewrites
#   the description file.
# - The image: qcow2 (compressed), 2 GiB virtual, MBR with one ext4 partition, GRUB for BIOS in the MBR and
#   the gap after it, Debian 12 with the cloud kernel, systemd-networkd doing DHCPv4 on eth0, openssh-server,
#   serial console on ttyS0, user `kiln` (password kiln-test-password, sudo without a password), root by key
#   only. The authorized keys are the test sshd's (env.json ssh.publicKeyPath and the RSA key beside it);
#   without env.json this script makes its own key under $KILN_TEST_STATE/qemu.
# - Made to boot fast under TCG (about 20 s to SSH on this 2-core machine): a small initramfs, no D-Bus or
#   logind (root's poweroff/shutdown go to systemd directly; networkctl, which needs D-Bus, does not work),
#   no fsck, no wait for the network, no timers. The cloud kernel drives virtio (blk, scsi, net), IDE
#   (ata_piix), NVMe and vmxnet3, but not AHCI (SATA), LSI SCSI or e1000: boot it with virtio disks and NICs.
# - Boot it with TCG (`-accel tcg`): /dev/kvm exists on these machines but a guest kernel hangs under it.
# - Nothing is mounted from a loop device: the file system is made from a directory with `mkfs.ext4 -d`
#   straight into the partition's place in a plain disk file, and GRUB is written with dd (boot.img into the
#   MBR, core.img into the sectors before the partition). The only mounts are proc and sysfs (and the apt
#   package cache) inside the chroot the packages are installed in, undone on any exit.
# - The recipe key is a hash of RECIPE_VERSION, the suite, the package list, the disk layout, the files under
#   scripts/qemu-image/ and the authorized keys; the image's file name carries it, so a cached image that
#   matches is found by name. Images of other recipes are removed after a successful build.
# - What was built is written to $KILN_TEST_STATE/qemu-image.json (schema below, under `qemu`), which the
#   tests read. env.json is not touched.
#
# qemu-image.json:
#   { "schemaVersion": 1,
#     "qemu": { "image", "format": "qcow2", "sha256", "sha256File" (`<sha256>  <file name>`),
#               "sizeBytes", "virtualSizeBytes", "recipe",
#               "distribution": "debian", "suite", "debianVersion", "arch", "kernel", "firmware": "bios",
#               "bootloader", "partitionTable": "dos", "rootPartition", "rootFsUuid", "consoleDevice",
#               "networkInterface", "user", "password", "sudo": "nopasswd", "rootLogin": "key",
#               "privateKeyPath", "publicKeyPath", "rsaPrivateKeyPath" (string or null),
#               "hostKeyFingerprints": { "ed25519", "ecdsa", "rsa" }, "sshPort": 22,
#               "qemuSystem", "qemuImg", "qemuVersion", "accelerator": "tcg", "ovmfCode" (string or null),
#               "builtAt", "buildSeconds" } }
#
# Environment (all optional):
#   KILN_TEST_STATE   state dir: qemu-image.json, own key when env.json has none  (default /var/lib/kiln-test)
#   KILN_TEST_CACHE   cache dir: the image, apt package cache                      (default /var/cache/kiln-test)
#   KILN_TEST_LOG     log dir: qemu-image-build.log                                (default /var/log/kiln-test)
#   KILN_TEST_DEBIAN_MIRROR  Debian mirror                       (default http://deb.debian.org/debian)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RECIPE_DIR="$HERE/qemu-image"

STATE_DIR=${KILN_TEST_STATE:-/var/lib/kiln-test}
CACHE_DIR=${KILN_TEST_CACHE:-/var/cache/kiln-test}
LOG_DIR=${KILN_TEST_LOG:-/var/log/kiln-test}
ENV_JSON="$STATE_DIR/env.json"
IMAGE_JSON="$STATE_DIR/qemu-image.json"
IMAGE_DIR="$CACHE_DIR/qemu"
APT_ARCHIVES="$CACHE_DIR/qemu-apt-archives"
BUILD_LOG="$LOG_DIR/qemu-image-build.log"
OWN_KEY_DIR="$STATE_DIR/qemu"

# Bump when the build steps below change what ends up in the image.
RECIPE_VERSION=1
SUITE=bookworm
ARCH=amd64
MIRROR=${KILN_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The minbase tree scripts/test-env.sh caches for its Docker image; used as the starting point when present.
MINBASE_TARBALL="$CACHE_DIR/debian-$SUITE-minbase-$ARCH.tar"
DISK_SIZE_MIB=2048
PART_START_SECTOR=2048
FS_LABEL=kiln-root
HOSTNAME_GUEST=kiln-debian
GUEST_USER=kiln
GUEST_PASSWORD=kiln-test-password
KERNEL_CMDLINE_EXTRA="console=tty0 console=ttyS0,115200n8 net.ifnames=0 biosdevname=0 fsck.mode=skip"

GUEST_PACKAGES=(linux-image-cloud-amd64 systemd-sysv udev openssh-server sudo)
# Units that slow a boot down under emulation, or work in the background while a test runs. (No D-Bus, so
# no logind: root's `poweroff`/`shutdown` go to systemd directly.)
GUEST_MASKED_UNITS=(systemd-networkd-wait-online.service systemd-logind.service systemd-fsck-root.service
  dev-hugepages.mount dev-mqueue.mount sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount
  sys-fs-fuse-connections.mount kmod-static-nodes.service systemd-journal-flush.service
  modprobe@configfs.service modprobe@dm_mod.service modprobe@drm.service modprobe@efi_pstore.service
  modprobe@fuse.service modprobe@loop.service
  apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer e2scrub_reap.service
  fstrim.timer systemd-tmpfiles-clean.timer getty-static.service)
# qemu-system-x86 and qemu-utils run the image; grub-pc-bin, fdisk and e2fsprogs make it; xorriso and ovmf
# are for the builder's CD and UEFI options.
HOST_PACKAGES=(qemu-system-x86 qemu-utils debootstrap grub-pc-bin e2fsprogs fdisk openssh-client jq xorriso ovmf)
GRUB_DIR=/usr/lib/grub/i386-pc

export DEBIAN_FRONTEND=noninteractive
T0=$(date +%s)

log() { printf 'qemu-image: %s\n' "$*" >&2; }
die() {
  printf 'qemu-image: ERROR: %s\n' "$*" >&2
  exit 1
}

# --- packages on this machine --------------------------------------------------------------------------

ensure_host_packages() {
  local missing=() p status
  for p in "${HOST_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing: ${missing[*]}"
  # No package script may start a service here.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# kiln qemu-image: no service starts during apt-get install\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    own_policy=1
  fi
  apt-get update -qq || log "apt-get update reported errors; trying the install anyway"
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/qemu-image-apt-get.log" 2>&1; then
    ((own_policy)) && rm -f "$policy"
    tail -n 30 "$LOG_DIR/qemu-image-apt-get.log" >&2
    die "apt-get install ${missing[*]} failed (full log: $LOG_DIR/qemu-image-apt-get.log)"
  fi
  ((own_policy)) && rm -f "$policy"
  return 0
}

# --- keys ----------------------------------------------------------------------------------------------

# Sets PRIVATE_KEY, PUBLIC_KEY, RSA_PRIVATE_KEY ("" when none) and AUTHORIZED_KEYS (the lines).
resolve_keys() {
  PRIVATE_KEY="" PUBLIC_KEY="" RSA_PRIVATE_KEY=""
  if [[ -s $ENV_JSON ]]; then
    PUBLIC_KEY=$(jq -r '.ssh.publicKeyPath // empty' "$ENV_JSON")
    PRIVATE_KEY=$(jq -r '.ssh.privateKeyPath // empty' "$ENV_JSON")
    RSA_PRIVATE_KEY=$(jq -r '.ssh.rsaPrivateKeyPath // empty' "$ENV_JSON")
    if [[ -z $PUBLIC_KEY || ! -s $PUBLIC_KEY || -z $PRIVATE_KEY || ! -s $PRIVATE_KEY ]]; then
      log "$ENV_JSON names no readable ssh key pair; using this script's own key"
      PUBLIC_KEY="" PRIVATE_KEY="" RSA_PRIVATE_KEY=""
    fi
    [[ -n $RSA_PRIVATE_KEY && -s $RSA_PRIVATE_KEY && -s $RSA_PRIVATE_KEY.pub ]] || RSA_PRIVATE_KEY=""
  fi
  if [[ -z $PUBLIC_KEY ]]; then
    mkdir -p "$OWN_KEY_DIR"
    chmod 0755 "$OWN_KEY_DIR"
    [[ -s $OWN_KEY_DIR/id_ed25519 ]] ||
      ssh-keygen -q -t ed25519 -N '' -C kiln-qemu-test -f "$OWN_KEY_DIR/id_ed25519" </dev/null
    PRIVATE_KEY="$OWN_KEY_DIR/id_ed25519"
    PUBLIC_KEY="$OWN_KEY_DIR/id_ed25519.pub"
  fi
  AUTHORIZED_KEYS=$(cat "$PUBLIC_KEY")
  [[ -z $RSA_PRIVATE_KEY ]] || AUTHORIZED_KEYS+=$'\n'$(cat "$RSA_PRIVATE_KEY.pub")
}

# --- recipe --------------------------------------------------------------------------------------------

recipe_key() {
  {
    printf 'recipe %s\nsuite %s %s\npackages %s\nmasked %s\ndisk %s %s %s\ncmdline %s\nuser %s %s\n' \
      "$RECIPE_VERSION" "$SUITE" "$ARCH" "${GUEST_PACKAGES[*]}" "${GUEST_MASKED_UNITS[*]}" \
      "$DISK_SIZE_MIB" "$PART_START_SECTOR" "$FS_LABEL" "$KERNEL_CMDLINE_EXTRA" "$GUEST_USER" "$GUEST_PASSWORD"
    printf 'keys\n%s\n' "$AUTHORIZED_KEYS"
    (cd "$RECIPE_DIR" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}

image_path() { echo "$IMAGE_DIR/debian-$SUITE-$ARCH-$1.qcow2"; }

# --- work area and its clean-up ------------------------------------------------------------------------

WORK=""
cleanup() {
  [[ -n $WORK && -d $WORK ]] || return 0
  unmount_below "$WORK"
  if awk -v d="$WORK/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    log "something is still mounted below $WORK; leaving it in place"
    return 0
  fi
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

unmount_below() {
  local m
  while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
}

# --- the root file system ------------------------------------------------------------------------------

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }

make_dev_nodes() {
  local dev="$ROOT/dev"
  mkdir -p "$dev/pts" "$dev/shm"
  [[ -e $dev/null ]] || mknod -m 0666 "$dev/null" c 1 3
  [[ -e $dev/zero ]] || mknod -m 0666 "$dev/zero" c 1 5
  [[ -e $dev/full ]] || mknod -m 0666 "$dev/full" c 1 7
  [[ -e $dev/random ]] || mknod -m 0666 "$dev/random" c 1 8
  [[ -e $dev/urandom ]] || mknod -m 0666 "$dev/urandom" c 1 9
  [[ -e $dev/tty ]] || mknod -m 0666 "$dev/tty" c 5 0
  [[ -e $dev/console ]] || mknod -m 0600 "$dev/console" c 5 1
  [[ -e $dev/ptmx ]] || mknod -m 0666 "$dev/ptmx" c 5 2
}

install_overlay() {
  # Ownership root, modes from the recipe files (sudoers must be 0440).
  (cd "$RECIPE_DIR/rootfs" && find . -type d) | while read -r d; do
    mkdir -p "$ROOT/$d"
  done
  (cd "$RECIPE_DIR/rootfs" && find . -type f) | while read -r f; do
    install -o root -g root -m 0644 "$RECIPE_DIR/rootfs/$f" "$ROOT/$f"
  done
  chmod 0440 "$ROOT/etc/sudoers.d/kiln-test"
}

build_root() {
  ROOT="$WORK/root"
  mkdir -p "$ROOT"
  if [[ -s $MINBASE_TARBALL ]]; then
    log "unpacking $MINBASE_TARBALL"
    tar -C "$ROOT" --numeric-owner --xattrs -xpf "$MINBASE_TARBALL"
  else
    log "debootstrap --variant=minbase $SUITE from $MIRROR (log: $BUILD_LOG)"
    mkdir -p "$APT_ARCHIVES"
    debootstrap --variant=minbase --arch="$ARCH" --cache-dir="$APT_ARCHIVES" "$SUITE" "$ROOT" "$MIRROR" \
      >>"$BUILD_LOG" 2>&1 || {
      tail -n 20 "$BUILD_LOG" >&2
      die "debootstrap failed (log: $BUILD_LOG)"
    }
  fi
  printf 'deb %s %s main\n' "$MIRROR" "$SUITE" >"$ROOT/etc/apt/sources.list"
  make_dev_nodes
  install_overlay
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs sysfs "$ROOT/sys"
  mkdir -p "$APT_ARCHIVES/partial" "$ROOT/var/cache/apt/archives"
  mount --bind "$APT_ARCHIVES" "$ROOT/var/cache/apt/archives"
  cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
  printf '%s\n' "$HOSTNAME_GUEST" >"$ROOT/etc/hostname"

  log "installing ${GUEST_PACKAGES[*]} (log: $BUILD_LOG)"
  if ! { in_root apt-get update -q && in_root apt-get install -y -q "${GUEST_PACKAGES[@]}"; } >>"$BUILD_LOG" 2>&1; then
    tail -n 30 "$BUILD_LOG" >&2
    die "installing the guest packages failed (log: $BUILD_LOG)"
  fi
  KERNEL_VERSION=$(in_root linux-version list | tail -n1)
  [[ -n $KERNEL_VERSION && -s $ROOT/boot/vmlinuz-$KERNEL_VERSION && -s $ROOT/boot/initrd.img-$KERNEL_VERSION ]] ||
    die "no kernel and initramfs in the image"
  DEBIAN_VERSION=$(cat "$ROOT/etc/debian_version")

  configure_root

  # The package cache is the bind mount's (kept for the next build); the tree keeps none.
  umount "$ROOT/var/cache/apt/archives"
  # What the mount hid: debootstrap's own downloads, when it made the tree.
  rm -rf "${ROOT:?}"/var/cache/apt/archives/*.deb "${ROOT:?}"/var/cache/apt/archives/partial/*
  umount "$ROOT/sys"
  umount "$ROOT/proc"
  rm -f "$ROOT/usr/sbin/policy-rc.d"
  rm -rf "${ROOT:?}"/var/lib/apt/lists/* "${ROOT:?}"/tmp/* "${ROOT:?}"/var/tmp/* "${ROOT:?}"/dev/* \
    "${ROOT:?}"/var/log/apt/* "${ROOT:?}"/var/cache/debconf/*-old "${ROOT:?}"/var/lib/dpkg/*-old \
    "${ROOT:?}"/var/cache/apt/*.bin
  : >"$ROOT/var/log/dpkg.log"
  : >"$ROOT/var/log/alternatives.log"
}

configure_root() {
  local uuid=$FS_UUID
  cat >"$ROOT/etc/hosts" <<EOF
127.0.0.1	localhost
127.0.1.1	$HOSTNAME_GUEST
::1	localhost ip6-localhost ip6-loopback
EOF
  printf 'UUID=%s\t/\text4\tdefaults,errors=remount-ro\t0\t1\n' "$uuid" >"$ROOT/etc/fstab"
  # No resolver: the user-mode network of the tests is restricted and nothing is looked up.
  printf '# kiln QEMU test image: no name server\n' >"$ROOT/etc/resolv.conf"

  # Users: root by key only, the test user by key or password, with sudo.
  in_root useradd --create-home --shell /bin/bash --groups sudo "$GUEST_USER"
  printf '%s:%s\n' "$GUEST_USER" "$GUEST_PASSWORD" | in_root chpasswd
  in_root passwd --lock root >/dev/null
  local home
  for home in /root "/home/$GUEST_USER"; do
    install -d -m 0700 "$ROOT$home/.ssh"
    printf '%s\n' "$AUTHORIZED_KEYS" >"$ROOT$home/.ssh/authorized_keys"
    chmod 0600 "$ROOT$home/.ssh/authorized_keys"
  done
  in_root chown -R "$GUEST_USER:$GUEST_USER" "/home/$GUEST_USER/.ssh"
  in_root visudo -cqf /etc/sudoers.d/kiln-test || die "the recipe's sudoers file is invalid"

  # Services: networkd does DHCP, nothing waits for the network, no timers run during a test.
  in_root systemctl enable systemd-networkd.service >>"$BUILD_LOG" 2>&1
  in_root systemctl mask "${GUEST_MASKED_UNITS[@]}" >>"$BUILD_LOG" 2>&1
  [[ -e $ROOT/etc/systemd/system/multi-user.target.wants/ssh.service ]] ||
    in_root systemctl enable ssh.service >>"$BUILD_LOG" 2>&1
  # Each boot of a copy gets its own machine id.
  : >"$ROOT/etc/machine-id"

  # GRUB's modules and configuration; its boot sectors are written into the disk file later.
  mkdir -p "$ROOT/boot/grub"
  rm -rf "$ROOT/boot/grub/i386-pc"
  cp -r "$GRUB_DIR" "$ROOT/boot/grub/i386-pc"
  rm -f "$ROOT"/boot/grub/i386-pc/*.image "$ROOT"/boot/grub/i386-pc/*.exec
  cat >"$ROOT/boot/grub/grub.cfg" <<EOF
# kiln QEMU test image: one entry, no menu.
set default=0
set timeout=0
insmod part_msdos
insmod ext2
insmod serial
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
search --no-floppy --fs-uuid --set=root $uuid
menuentry 'Debian GNU/Linux $DEBIAN_VERSION ($KERNEL_VERSION)' {
	linux /boot/vmlinuz-$KERNEL_VERSION root=UUID=$uuid ro $KERNEL_CMDLINE_EXTRA
	initrd /boot/initrd.img-$KERNEL_VERSION
}
EOF

  # Host keys were made by openssh-server's installation: every copy of the image has the same ones, which
  # the description file records.
  local t
  for t in ed25519 ecdsa rsa; do
    [[ -s $ROOT/etc/ssh/ssh_host_${t}_key.pub ]] || die "the image has no $t host key"
  done
}

# --- the disk ------------------------------------------------------------------------------------------

build_disk() {
  local disk="$WORK/disk.raw" core="$WORK/core.img" early="$WORK/early.cfg"
  local part_offset=$((PART_START_SECTOR * 512))
  local part_size_kib=$((DISK_SIZE_MIB * 1024 - part_offset / 1024))
  truncate -s "${DISK_SIZE_MIB}M" "$disk"
  # label-id is fixed so the same recipe makes the same partition table.
  printf 'label: dos\nlabel-id: 0x6b696c6e\nunit: sectors\n\nstart=%d, type=83, bootable\n' "$PART_START_SECTOR" |
    sfdisk --no-reread --no-tell-kernel -q "$disk" >>"$BUILD_LOG" 2>&1 || die "sfdisk failed (log: $BUILD_LOG)"

  log "making the ext4 file system from the tree"
  if ! mkfs.ext4 -q -F -L "$FS_LABEL" -U "$FS_UUID" -m 1 -E "offset=$part_offset" -d "$ROOT" \
    "$disk" "${part_size_kib}k" >>"$BUILD_LOG" 2>&1; then
    tail -n 20 "$BUILD_LOG" >&2
    die "mkfs.ext4 -d failed (log: $BUILD_LOG)"
  fi
  e2fsck -fn "$disk?offset=$part_offset" >>"$BUILD_LOG" 2>&1 || die "the new file system does not check clean (log: $BUILD_LOG)"

  # GRUB for BIOS, as grub-install would lay it out on an MBR disk: boot.img's code (the first 440 bytes,
  # leaving the partition table) loads sector 1, where core.img starts; core.img's first sector holds the
  # list of its remaining sectors (2..), which grub-mkimage fills in. The embedded config finds the root
  # file system by UUID, whatever BIOS disk number it gets.
  # shellcheck disable=SC2016 # $root is GRUB's variable, not the shell's
  printf 'search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)/boot/grub\n' "$FS_UUID" >"$early"
  grub-mkimage -O i386-pc -o "$core" -c "$early" -p /boot/grub -d "$GRUB_DIR" \
    biosdisk part_msdos ext2 search search_fs_uuid || die "grub-mkimage failed"
  local core_sectors=$((($(stat -c %s "$core") + 511) / 512))
  ((core_sectors < PART_START_SECTOR - 1)) || die "core.img ($core_sectors sectors) does not fit before the partition"
  dd if="$GRUB_DIR/boot.img" of="$disk" bs=440 count=1 conv=notrunc status=none
  dd if="$core" of="$disk" bs=512 seek=1 conv=notrunc status=none
  # The partition table must have survived.
  sfdisk -d "$disk" 2>/dev/null | grep -q "start= *$PART_START_SECTOR,.*type=83" || die "the partition table was damaged"

  log "converting to compressed qcow2"
  qemu-img convert -f raw -O qcow2 -c "$disk" "$WORK/image.qcow2" || die "qemu-img convert failed"
  qemu-img check -q "$WORK/image.qcow2" || die "qemu-img check failed on the new image"
  rm -f "$disk"
}

# --- description file ----------------------------------------------------------------------------------

host_fp() { ssh-keygen -lf "$1" | cut -d' ' -f2; }

write_json() {
  local image=$1 tmp="$IMAGE_JSON.tmp" info ovmf=""
  info=$(jq -c . "$image.json")
  [[ -s /usr/share/OVMF/OVMF_CODE.fd ]] && ovmf=/usr/share/OVMF/OVMF_CODE.fd
  jq -n \
    --argjson info "$info" \
    --arg image "$image" \
    --arg sha "$(cut -d' ' -f1 "$image.sha256")" \
    --argjson size "$(stat -c %s "$image")" \
    --argjson vsize "$(qemu-img info --output=json "$image" | jq '."virtual-size"')" \
    --arg user "$GUEST_USER" --arg password "$GUEST_PASSWORD" \
    --arg priv "$PRIVATE_KEY" --arg pub "$PUBLIC_KEY" --arg rsa "$RSA_PRIVATE_KEY" \
    --arg qemu "$(command -v qemu-system-x86_64)" --arg qemuimg "$(command -v qemu-img)" \
    --arg qemuversion "$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version \([^ ]*\).*/\1/p')" \
    --arg ovmf "$ovmf" \
    '{
      schemaVersion: 1,
      qemu: {
        image: $image, format: "qcow2", sha256: $sha, sha256File: ($image + ".sha256"),
        sizeBytes: $size, virtualSizeBytes: $vsize,
        recipe: $info.recipe, distribution: "debian", suite: $info.suite, debianVersion: $info.debianVersion,
        arch: $info.arch, kernel: $info.kernel, firmware: "bios", bootloader: "grub-pc",
        partitionTable: "dos", rootPartition: 1, rootFsUuid: $info.rootFsUuid,
        consoleDevice: "ttyS0", networkInterface: "eth0",
        user: $user, password: $password, sudo: "nopasswd", rootLogin: "key",
        privateKeyPath: $priv, publicKeyPath: $pub,
        rsaPrivateKeyPath: (if $rsa == "" then null else $rsa end),
        hostKeyFingerprints: $info.hostKeyFingerprints, sshPort: 22,
        qemuSystem: $qemu, qemuImg: $qemuimg, qemuVersion: $qemuversion, accelerator: "tcg",
        ovmfCode: (if $ovmf == "" then null else $ovmf end),
        builtAt: $info.builtAt, buildSeconds: $info.buildSeconds
      }
    }' >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$IMAGE_JSON"
}

# --- commands ------------------------------------------------------------------------------------------

build() {
  local recipe=$1 image
  image=$(image_path "$recipe")
  mkdir -p "$IMAGE_DIR"
  WORK=$(mktemp -d "$CACHE_DIR/qemu-build.XXXXXX")
  : >"$BUILD_LOG"
  FS_UUID=$(cat /proc/sys/kernel/random/uuid)
  log "building $image (recipe $recipe)"
  build_root
  local fps
  fps=$(jq -n --arg ed "$(host_fp "$ROOT/etc/ssh/ssh_host_ed25519_key.pub")" \
    --arg ec "$(host_fp "$ROOT/etc/ssh/ssh_host_ecdsa_key.pub")" \
    --arg rsa "$(host_fp "$ROOT/etc/ssh/ssh_host_rsa_key.pub")" '{ed25519: $ed, ecdsa: $ec, rsa: $rsa}')
  build_disk
  # The image, its checksum and its facts appear together, the image last, so a present image always
  # has them.
  sha256sum "$WORK/image.qcow2" | sed "s|$WORK/image.qcow2|$(basename "$image")|" >"$image.sha256"
  jq -n --arg recipe "$recipe" --arg suite "$SUITE" --arg arch "$ARCH" --arg dv "$DEBIAN_VERSION" \
    --arg kernel "$KERNEL_VERSION" --arg uuid "$FS_UUID" --argjson fps "$fps" \
    --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --argjson secs "$(($(date +%s) - T0))" \
    '{recipe: $recipe, suite: $suite, arch: $arch, debianVersion: $dv, kernel: $kernel, rootFsUuid: $uuid,
      hostKeyFingerprints: $fps, builtAt: $at, buildSeconds: $secs}' >"$image.json"
  mv -f "$WORK/image.qcow2" "$image"
  chmod 0644 "$image" "$image.sha256" "$image.json"
  # Images of other recipes are stale.
  local old
  for old in "$IMAGE_DIR"/debian-*.qcow2; do
    [[ $old == "$image" || ! -e $old ]] || rm -f "$old" "$old.sha256" "$old.json"
  done
}

# The cached image is complete: the image and both side files exist and the checksum matches.
image_ok() {
  local image=$1
  [[ -s $image && -s $image.sha256 && -s $image.json ]] || return 1
  (cd "$(dirname "$image")" && sha256sum --status -c "$(basename "$image").sha256")
}

cmd_up() {
  local force=${1:-0} recipe image
  ensure_host_packages
  resolve_keys
  recipe=$(recipe_key)
  image=$(image_path "$recipe")
  if ((force)) || ! image_ok "$image"; then
    build "$recipe"
    log "built in $(($(date +%s) - T0)) s"
  else
    log "cached image matches the recipe: $image"
  fi
  write_json "$image"
  printf 'qemu     %s (%s MiB, kernel %s) -> %s\n' "$image" "$(($(stat -c %s "$image") / 1048576))" \
    "$(jq -r .kernel "$image.json")" "$IMAGE_JSON"
}

cmd_status() {
  local recipe image
  if ! command -v jq >/dev/null || ! command -v qemu-system-x86_64 >/dev/null; then
    echo "qemu     MISSING: host packages (run scripts/qemu-image.sh)"
    return 1
  fi
  resolve_keys
  recipe=$(recipe_key)
  image=$(image_path "$recipe")
  if [[ -s $image && -s $image.json ]]; then
    echo "qemu     present: $image (recipe $recipe)"
  else
    echo "qemu     MISSING: no image for recipe $recipe under $IMAGE_DIR"
    return 1
  fi
}

main() {
  local cmd=${1:-up}
  case $cmd in
  up | status | rebuild) ;;
  -h | --help)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    return 0
    ;;
  *) die "unknown command '$cmd' (use: up, status, rebuild)" ;;
  esac
  [[ $(id -u) == 0 ]] || die "must run as root (it installs packages and builds a file system as root)"
  mkdir -p "$STATE_DIR" "$CACHE_DIR" "$LOG_DIR"
  # One run at a time; a lock of its own, since scripts/test-env.sh may hold its lock while calling this.
  exec 8>"$STATE_DIR/.qemu-image.lock"
  if ! flock -n 8; then
    log "another qemu-image.sh run holds $STATE_DIR/.qemu-image.lock; waiting for it"
    flock 8
  fi
  case $cmd in
  up) cmd_up 0 ;;
  rebuild) cmd_up 1 ;;
  status) cmd_status ;;
  esac
}

main "$@"

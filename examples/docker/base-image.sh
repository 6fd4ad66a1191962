#!/usr/bin/env bash
# Makes sure the base image of the docker example exists on the local Docker engine, so that the build
# (pull = false) needs no registry:
#   - an image already there is used as it is;
#   - else it is pulled;
#   - else (no registry reachable) a minimal image is built from the host's static busybox (Debian:
#     `apt-get install busybox-static`) and imported under the same name. The script says which it did.
#
#   bash examples/docker/base-image.sh [IMAGE]     # default busybox:latest
set -euo pipefail

image=${1:-busybox:latest}

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image: present"
  exit 0
fi
if pull_error=$(timeout 300 docker pull --quiet "$image" 2>&1 >/dev/null); then
  echo "base image $image: pulled"
  exit 0
fi

# No registry: build it from a static busybox binary.
pull_error=${pull_error%%$'\n'*}
busybox=${BUSYBOX:-}
if [[ -z $busybox ]]; then
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [[ -x $candidate ]] && ! ldd "$candidate" >/dev/null 2>&1; then
      busybox=$candidate
      break
    fi
  done
fi
if [[ -z $busybox ]]; then
  echo "base image $image: cannot be pulled (${pull_error:-no answer}) and no static busybox was found" >&2
  echo "  install one (Debian: apt-get install busybox-static) or set BUSYBOX=/path/to/static/busybox" >&2
  exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,home,proc,sys,dev}
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 0700 "$root/root"
cp "$busybox" "$root/bin/busybox"
# Every applet as a link at its usual path (bin/sh, usr/bin/awk, ...).
while read -r applet; do
  [[ -n $applet && $applet != bin/busybox ]] || continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -sf /bin/busybox "$root/$applet"
done < <("$busybox" --list-full)
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
tar -C "$root" --numeric-owner -cf - . |
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["/bin/sh"]' \
    -m "built locally from $busybox by examples/docker/base-image.sh" \
    - "$image" >/dev/null
echo "base image $image: cannot be pulled (${pull_error:-no answer}); built it locally from $busybox"

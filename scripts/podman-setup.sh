#!/usr/bin/env bash
# Makes this machine a container engine for `--runtime docker` when it has no Docker: installs Podman, applies
# the two host fixes it needs here, serves the Docker Engine API on /run/podman/podman.sock, and builds a
# Debian base image from the machine's own apt mirror (no registry needed). Idempotent: run it again at will.
# Needs root on Debian/Ubuntu. See docs/containers.md.
set -euo pipefail

SOCKET=/run/podman/podman.sock
BASE_IMAGE=session-chaos/base:bookworm
say() { echo "podman-setup: $*"; }

if [ "$(id -u)" != 0 ]; then
  echo "podman-setup: needs root (apt-get, mount, the system socket). Run: sudo bash $0" >&2
  exit 2
fi

missing=()
for command in podman debootstrap; do command -v "$command" >/dev/null || missing+=("$command"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Without these limits crun fails with "setrlimit RLIMIT_NOFILE: Operation not permitted".
conf=/etc/containers/containers.conf
if ! grep -qs '^default_ulimits' "$conf"; then
  say "setting default_ulimits in $conf"
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n' >>"$conf"
fi

# On a cgroup v1 host without the hugetlb controller crun says "cgroups in hybrid mode not supported".
if [ ! -f /sys/fs/cgroup/cgroup.controllers ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
  say "mounting the hugetlb cgroup controller"
  mkdir -p /sys/fs/cgroup/hugetlb
  mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
fi

# On cgroup v1 without systemd, every container lives under one cgroup, libpod_parent, which the kernel weighs
# as ONE task (cpu.shares 1024) against every process of the host: while Chromium loads its pages, the whole
# cluster got so little CPU that Redis answered after 3 s. Weigh it as ten tasks, about what the same services
# weigh as processes on the local runtime.
if [ -d /sys/fs/cgroup/cpu ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p /sys/fs/cgroup/cpu/libpod_parent
  if [ "$(cat /sys/fs/cgroup/cpu/libpod_parent/cpu.shares)" != 10240 ]; then
    say "weighing the containers' cgroup as ten tasks (cpu.shares 10240)"
    echo 10240 >/sys/fs/cgroup/cpu/libpod_parent/cpu.shares
  fi
fi

if ! curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; then
  say "starting the Docker-compatible API on $SOCKET"
  mkdir -p "$(dirname "$SOCKET")"
  setsid nohup podman system service --time=0 "unix://$SOCKET" >/var/log/podman-service.log 2>&1 </dev/null &
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null || {
    echo "podman-setup: the API did not answer on $SOCKET; see /var/log/podman-service.log" >&2
    exit 1
  }
fi

if ! podman image exists "$BASE_IMAGE"; then
  # The first Debian mirror this machine's apt uses: images install their packages from it too.
  mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null ||
    true; } | grep -oE '^(URIs:|deb) +https?://[^ ]+' | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  say "building $BASE_IMAGE with debootstrap from $mirror (about a minute)"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase bookworm "$root" "$mirror" >/var/log/session-chaos-debootstrap.log 2>&1 || {
    echo "podman-setup: debootstrap failed; see /var/log/session-chaos-debootstrap.log" >&2
    exit 1
  }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | podman import - "$BASE_IMAGE" >/dev/null
fi
say "ready: DOCKER_HOST=unix://$SOCKET, base image $BASE_IMAGE"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# debian13-root.sh, sourced: the Debian 13 (glibc 2.41) root that test-debian13 and the
# arm64 package check share.  Made once by mmdebstrap from Debian's archive as this
# machine's apt is configured (bookworm -> trixie) and kept as a tar; each user unpacks
# a copy.  Its package set is what `make test` needs (the Makefile's DEPS less the tools
# of format-check and reliability), plus the arm64 libraries joinrun links for the arm64 package,
# so no apt runs inside it; the tar's name carries a hash of that set, so a changed set
# makes a new root.  Defines: ROOT_DIR, root_up, in_root; fail() is the caller's.
[ "$(id -u)" = 0 ] || { echo "debian13: needs root (mmdebstrap, chroot, mount)"; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root_pkgs() {
  printf 'p:;@echo $(foreach d,$(DEPS),$(word 2,$(subst :, ,$(d))))\n' |
    make -s --no-print-directory -C "$here" -f Makefile -f - p |
    tr ' ' '\n' | grep -vxE 'clang|clang-format|valgrind|make|' | sort -u | tr '\n' ','
  echo 'git,procps,libc6:arm64,libjansson4:arm64,libprotobuf-c1:arm64,zlib1g:arm64'
}
ROOT_PKGS=$(root_pkgs)
img=${PLATFORM_IMAGE:-/var/tmp/libjoin-debian13-$(echo "$ROOT_PKGS" | sha256sum | cut -c1-8).tar}
ROOT_DIR=$(mktemp -d /var/tmp/libjoin-debian13.XXXXXX) || exit 1
R=$ROOT_DIR/root
root_cleanup() {
  umount -R -l "$R/dev" 2>/dev/null
  umount -l "$R/proc" 2>/dev/null
  if mountpoint -q "$R/dev" || mountpoint -q "$R/proc"; then echo "debian13: $R still mounted: left in place"
  else rm -rf "$ROOT_DIR"; fi
}
trap root_cleanup EXIT
trap 'exit 130' INT TERM

# root_image: the image made if missing (a lock: two steps may ask at once).
root_image() {
  exec 9>"$img.lock" && flock 9
  if [ ! -s "$img" ]; then
    src=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    src=${src:-/etc/apt/sources.list}
    sed 's/bookworm/trixie/g' "$src" >"$ROOT_DIR/trixie.sources"
    echo "debian13: making the Debian 13 root ($img) with mmdebstrap"
    mmdebstrap --variant=buildd --format=tar --architectures=amd64,arm64 --include="$ROOT_PKGS" \
      trixie "$img.part" "$ROOT_DIR/trixie.sources" >"$ROOT_DIR/mm.log" 2>&1 ||
      { tail -5 "$ROOT_DIR/mm.log"; rm -f "$img.part"; fail "mmdebstrap"; }
    mv "$img.part" "$img"
  fi
  exec 9>&-
}
# root_up: the image, a copy unpacked in $R, /proc and /dev mounted there.
root_up() {
  root_image
  mkdir "$R" && tar -xf "$img" -C "$R" || fail "cannot unpack $img"
  cp /etc/resolv.conf "$R/etc/resolv.conf"
  mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && mount --make-rslave "$R/dev" ||
    fail "cannot mount /proc and /dev in the root"
}
in_root() { chroot "$R" /bin/bash -lc "$1"; }

# Run as a command (make debian13-root): only make the image, so that CI can make it
# while the other suites run.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  fail() { echo "debian13-root: $*"; exit 1; }
  root_image && echo "debian13-root: $img ($ROOT_PKGS)"
fi

#!/usr/bin/env bash
# debian13.sh [DEB]: `make test` on the newest Debian glibc (Debian 13, glibc 2.41), in
# a fresh root made by mmdebstrap from Debian's archive as this machine's apt is
# configured (its sources with bookworm -> trixie).  The root is kept as a tar
# ($PLATFORM_IMAGE) for the next run; the project is cloned into a copy (its last
# commit).  Then: the library built there needs no glibc newer than 2.34, and DEB
# (a package of `make deb`, built here) installs with apt and runs.  Needs root.
set -u
[ "$(id -u)" = 0 ] || { echo "debian13: needs root (mmdebstrap, chroot, mount)"; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
img=${PLATFORM_IMAGE:-/var/tmp/libjoin-debian13.tar}
deb=${1:-}
D=$(mktemp -d /var/tmp/libjoin-debian13.XXXXXX) || exit 1
R=$D/root
cleanup() {
  umount -R -l "$R/dev" 2>/dev/null
  umount -l "$R/proc" 2>/dev/null
  if mountpoint -q "$R/dev" || mountpoint -q "$R/proc"; then echo "debian13: $R still mounted: left in place"
  else rm -rf "$D"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "not ok debian13: $*"; echo "debian13: 0 passed, 1 failed"; exit 1; }

if [ ! -s "$img" ]; then
  src=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  src=${src:-/etc/apt/sources.list}
  sed 's/bookworm/trixie/g' "$src" >"$D/trixie.sources"
  echo "debian13: making the Debian 13 root ($img) with mmdebstrap"
  mmdebstrap --variant=buildd --format=tar \
    --include=git,python3,perl,dash,procps,ca-certificates,clang,clang-format,valgrind,strace \
    trixie "$img.part" "$D/trixie.sources" >"$D/mm.log" 2>&1 || { tail -5 "$D/mm.log"; rm -f "$img.part"; fail "mmdebstrap"; }
  mv "$img.part" "$img"
fi
mkdir "$R" && tar -xf "$img" -C "$R" || fail "cannot unpack $img"
cp /etc/resolv.conf "$R/etc/resolv.conf"
git clone -q "$here" "$R/root/project" || fail "git clone"
mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && mount --make-rslave "$R/dev" ||
  fail "cannot mount /proc and /dev in the root"
in_root() { chroot "$R" /bin/bash -lc "$1"; }

echo "debian13: $(in_root 'ldd --version | head -1')"
in_root 'cd /root/project && unset MAKEFLAGS MAKELEVEL; CI=true timeout 2700 make test' | tee "$D/test.out"
ok=${PIPESTATUS[0]}
{
  sum=$(grep '^all: ' "$D/test.out" | tail -1)
  [ "$ok" = 0 ] && echo "ok make-test on glibc 2.41: $sum" || echo "not ok make-test on glibc 2.41: ${sum:-no summary}"
  in_root 'cd /root/project && make -s check-glibc' >"$D/g.out" 2>&1 &&
    echo "ok built-on-2.41-loads-on-2.34" || { echo "not ok built-on-2.41-loads-on-2.34"; cat "$D/g.out"; }
  if [ -n "$deb" ]; then
    cp "$deb" "$R/root/" && name=$(basename "$deb")
    cat >"$R/root/deb.sh" <<SH
apt-get install -y -qq ./$name >/root/apt.log 2>&1 || { tail -5 /root/apt.log; exit 1; }
joinrun -o /root/d.log -- sh -c 'sh -c "exit 3"; true' || exit 1
grep -Eq "^[0-9]+ [0-9]+ [0-9]+ [0-9]+ 'sh [0-9]+: 3'\$" /root/d.log || { cat /root/d.log; exit 1; }
SH
    in_root 'cd /root && bash deb.sh' >"$D/d.out" 2>&1 &&
      echo "ok deb-installs-and-runs: $name" || { echo "not ok deb-installs-and-runs: $name"; cat "$D/d.out"; }
  fi
} | tee "$D/checks.out"
f=$(grep -c '^not ok' "$D/checks.out")
echo "debian13: $(grep -c '^ok' "$D/checks.out") passed, $f failed"
[ "$f" = 0 ]

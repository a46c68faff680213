#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deb-arm64.sh DEB DEMO: the arm64 package installed with apt in a copy of the Debian 13
# root (tests/debian13-root.sh, which holds arm64's libc and jansson: one root for both
# architectures, not a second one made under emulation), and its joinrun run there under
# qemu-user with DEMO (examples/demo built for aarch64): the demo's seven records, as
# the aarch64 platform suite has them.  Needs root; ends "deb-arm64-root: N passed, N failed".
set -u
DEB=$1 DEMO=$2
if [ "$(id -u)" != 0 ]; then echo "# skip deb-arm64-root: needs root (chroot, mount)"; exit 0; fi
fail() { echo "not ok deb-arm64-root: $*"; echo "deb-arm64-root: 0 passed, 1 failed"; exit 1; }
. "$(dirname "$0")/debian13-root.sh"
root_up
# This machine's qemu-aarch64 with the libraries it was linked with, under /opt/qemu:
# no download into the root, whatever Debian 13's libraries are.
q=$(command -v qemu-aarch64) || fail "no qemu-aarch64 (make platform-deps)"
mkdir -p "$R/opt/qemu" && cp -L "$q" "$R/opt/qemu/" &&
  ldd "$q" | awk '$(NF-1) ~ /^\// { print $(NF-1) } $1 ~ /^\// { print $1 }' | xargs -r cp -L -t "$R/opt/qemu/" &&
  cp -L "$(ldd "$q" | awk '$1 ~ /^\/.*ld-linux/ { print $1 }')" "$R/opt/qemu/ld.so" || fail "cannot copy qemu-aarch64"
printf '#!/bin/sh\nexec /opt/qemu/ld.so --library-path /opt/qemu /opt/qemu/qemu-aarch64 "$@"\n' >"$R/usr/local/bin/qemu-aarch64"
chmod +x "$R/usr/local/bin/qemu-aarch64"
cp "$DEB" "$DEMO" "$R/root/" || fail "cannot copy $DEB and $DEMO"
name=$(basename "$DEB")
{
  in_root "apt-get install -y -qq ./root/$name >/root/apt.log 2>&1 || { tail -5 /root/apt.log; false; }" &&
    echo "ok arm64-package-installs: $name" || echo "not ok arm64-package-installs: $name"
  in_root 'file=$(dpkg -L libjoin | grep /libjoin.so$); echo "$file"' | grep -q '/usr/lib/aarch64-linux-gnu/libjoin/libjoin.so' &&
    echo "ok arm64-library-in-place" || echo "not ok arm64-library-in-place"
  # joinrun finds its library by itself; its command is the demo under qemu-user, which
  # passes joinrun's LD_PRELOAD on to the demo (the host's sh and loader only warn).
  in_root 'mkdir -p /root/d && cd /root/d && qemu-aarch64 /usr/bin/joinrun -o /root/d.log -- qemu-aarch64 /root/demo' \
    >"$ROOT_DIR/demo.out" 2>&1
  log=$R/root/d.log
  re="^[0-9]+ [0-9]+ [0-9]+ [0-9]+ "
  grep -q 'system() returned' "$ROOT_DIR/demo.out" && echo "ok arm64-demo-runs" || { echo "not ok arm64-demo-runs"; tail -5 "$ROOT_DIR/demo.out"; }
  n=$(grep -Ec "$re" "$log" 2>/dev/null)
  [ "${n:-0}" -ge 7 ] && echo "ok arm64-demo-records: $n" || { echo "not ok arm64-demo-records: ${n:-0}"; cat "$log" 2>/dev/null | head; }
  grep -q ": sys: segmentation violation'$" "$log" && echo "ok arm64-demo-segv" || echo "not ok arm64-demo-segv"
  grep -q ": 42'$" "$log" && echo "ok arm64-demo-spawn-42" || echo "not ok arm64-demo-spawn-42"
  grep -q ": interrupt'$" "$log" && echo "ok arm64-demo-system-interrupt" || echo "not ok arm64-demo-system-interrupt"
} | tee "$ROOT_DIR/checks.out"
f=$(grep -c '^not ok' "$ROOT_DIR/checks.out")
echo "deb-arm64-root: $(grep -c '^ok' "$ROOT_DIR/checks.out") passed, $f failed"
[ "$f" = 0 ]

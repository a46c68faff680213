#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# debian13.sh [DEB]: `make test` on the newest Debian glibc (Debian 13, glibc 2.41), in
# a copy of the Debian 13 root (tests/debian13-root.sh: made once, kept as a tar), the
# project cloned into it (its last commit).  Then: the library built there needs no
# glibc newer than 2.34, and DEB (a package of `make deb`, built here) installs with
# apt and runs.  Needs root.
set -u
deb=${1:-}
fail() { echo "not ok debian13: $*"; echo "debian13: 0 passed, 1 failed"; exit 1; }
. "$(dirname "$0")/debian13-root.sh"
D=$ROOT_DIR
root_up
git clone -q "$here" "$R/root/project" || fail "git clone"

echo "debian13: $(in_root 'ldd --version | head -1')"
in_root 'cd /root/project && unset MAKEFLAGS MAKELEVEL; CI=true timeout 2700 make test DEPS=' | tee "$D/test.out"
ok=${PIPESTATUS[0]}
{
  sum=$(grep '^all: ' "$D/test.out" | tail -1)
  [ "$ok" = 0 ] && echo "ok make-test on glibc 2.41: $sum" || echo "not ok make-test on glibc 2.41: ${sum:-no summary}"
  in_root 'cd /root/project && make -s check-glibc' >"$D/g.out" 2>&1 &&
    echo "ok built-on-2.41-loads-on-2.34" || { echo "not ok built-on-2.41-loads-on-2.34"; cat "$D/g.out"; }
  name=$(basename "${deb:-none}")
  if [ -n "$deb" ] && ! cp "$deb" "$R/root/"; then
    echo "not ok deb-installs-and-runs: no $deb"
  elif [ -n "$deb" ]; then
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

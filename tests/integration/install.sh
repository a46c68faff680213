#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make install into a temporary DESTDIR, build a program against it with
# pkg-config, run it, then make uninstall leaves nothing behind.
. "$(dirname "$0")/lib.sh"
D=$T/root
make -s -C "$ROOT" B="$B" install DESTDIR="$D" PREFIX=/usr/local >"$T/install.out" 2>&1
check "make install" test -f "$D/usr/local/lib/libjoin.so" -a -f "$D/usr/local/include/join.h" \
  -a -x "$D/usr/local/bin/joinrun" -a -f "$D/usr/local/lib/pkgconfig/join.pc" \
  -a -f "$D/usr/local/share/man/man3/libjoin.3" -a -f "$D/usr/local/share/man/man1/joinrun.1"
cat > "$T/use.c" <<'C'
#include <join.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	char buf[128];
	if (fork() == 0)
		_exit(4);
	int n = join_await(buf, sizeof buf);
	printf("%.*s\n", n, buf);
	return n <= 0;
}
C
export PKG_CONFIG_PATH=$D/usr/local/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D
flags=$(pkg-config --cflags --libs join)
check "pkg-config names the installed header and library" sh -c "echo '$flags' | grep -q -- '-I$D/usr/local/include' && echo '$flags' | grep -q -- '-ljoin'"
cc -o "$T/use" "$T/use.c" $flags 2>"$T/cc.err"
check "an example builds against the installed library" test -x "$T/use"
check "and runs" sh -c "JOIN_LOG=off LD_LIBRARY_PATH='$D/usr/local/lib' '$T/use' | grep -Eq '^[0-9]+ [0-9]+ [0-9]+ [0-9]+ .use [0-9]+: 4.\$'"
# Staged under DESTDIR, joinrun looks for the library where it will be installed.
check "the installed joinrun looks in LIBDIR" sh -c "'$D/usr/local/bin/joinrun' -- true 2>&1 | grep -q '/usr/local/lib/libjoin.so'"
make -s -C "$ROOT" B="$B" uninstall DESTDIR="$D" PREFIX=/usr/local >/dev/null 2>&1
check "make uninstall removes every file" test -z "$(find "$D" -type f)"

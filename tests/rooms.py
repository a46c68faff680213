#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""rooms.py BUILD - the engine's objects call only down (docs/DESIGN.md, "The tree").

Each object's undefined symbols are matched with the objects of BUILD/shim that
define them; a call from a room (or a file at shim's top) to one later in ORDER is
a call up, printed, and the exit status is 1.  A room or top file ORDER does not
name is an error too: a new one must be placed.
"""
import glob
import os
import subprocess
import sys

ORDER = ["base", "table", "text", "ring", "log", "trace", "collector",
         "emit", "exec", "image", "child", "api", "init", "fault"]
shim = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "build", "shim")
objs = sorted(glob.glob(os.path.join(shim, "**", "*.o"), recursive=True))
if not objs:
    sys.exit(f"rooms: no objects under {shim}")
defs, undef = {}, {}
for o in objs:
    out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
    defs[o] = {p[2] for p in map(str.split, out.splitlines()) if len(p) == 3 and p[1] in "TDBRVWG"}
    undef[o] = {p[1] for p in map(str.split, out.splitlines()) if len(p) == 2 and p[0] == "U"}
owner = {s: o for o, d in defs.items() for s in d}


def place(o):
    r = os.path.relpath(o, shim)
    name = os.path.dirname(r) or os.path.splitext(r)[0]
    if name not in ORDER:
        sys.exit(f"rooms: {r} is in no place of ORDER (tests/rooms.py, docs/DESIGN.md)")
    return ORDER.index(name)


up = [(o, owner[s], s) for o in objs for s in sorted(undef[o])
      if s in owner and owner[s] != o and place(owner[s]) > place(o)]
for a, b, s in up:
    print(f"call up: {os.path.relpath(a, shim)} -> {os.path.relpath(b, shim)} ({s})")
sys.exit(1 if up else 0)

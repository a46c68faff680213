#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""await.py - Plan 9's await from Python, through ctypes, in a program run with
LD_PRELOAD=libjoin.so (the preloaded library's symbols are in CDLL(None)).

    LD_PRELOAD=build/libjoin.so JOIN_LOG=off python3 examples/await.py
"""
import ctypes
import os
import sys

lib = ctypes.CDLL(None, use_errno=True)
if not hasattr(lib, "join_await"):
    sys.exit("await.py: run me with LD_PRELOAD=libjoin.so")
lib.join_errstr.restype = ctypes.c_char_p

for code in (0, 3, 7):
    if os.fork() == 0:
        os._exit(code)

buf = ctypes.create_string_buffer(256)
args = (ctypes.c_char_p * 5)()
while True:
    n = lib.join_await(buf, len(buf) - 1)
    if n < 0:
        print("done:", lib.join_errstr().decode())
        break
    record = buf.raw[:n]
    print("await:", record.decode())
    fields = ctypes.create_string_buffer(record)  # tokenize splits it in place
    lib.join_tokenize(fields, args, 5)
    print("  pid", int(args[0]), "exit string", repr(args[4].decode()))

#!/usr/bin/env python3
"""Runs each command given, interleaved, RUNS times after 3 warm-ups, and prints the median
CPU (user+sys, from wait4) and wall time of each: an A/B that a loaded machine disturbs less.

Usage: scripts/cpu-ab.py RUNS CMD [CMD...]   (each CMD one quoted string)"""
import os, sys, time, statistics as st, shlex
runs = int(sys.argv[1]); cmds = sys.argv[2:]
res = {c: ([], []) for c in cmds}
devnull = os.open(os.devnull, os.O_WRONLY)
for i in range(runs + 3):
    for c in cmds:
        argv = shlex.split(c)
        t = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.dup2(devnull, 1); os.dup2(devnull, 2)
            os.execvp(argv[0], argv)
        _, status, ru = os.wait4(pid, 0)
        w = time.monotonic() - t
        if i >= 3:
            res[c][0].append((ru.ru_utime + ru.ru_stime) * 1000); res[c][1].append(w * 1000)
for c in cmds:
    cpu, wall = res[c]
    print(f"cpu {st.median(cpu):6.1f} ms  wall {st.median(wall):6.1f} ms  {c}")

#!/usr/bin/env python3
"""Runs each command given, interleaved, RUNS times after 3 warm-ups, and prints the median
CPU (user+sys, from wait4) and wall time of each, and of its ratio to the last command's: an
A/B that a loaded machine disturbs less.
With --instructions, runs each command once under `valgrind --tool=callgrind` instead and
prints the instructions it executed (user space): a count the load does not change, where the
VM has no hardware counters for `perf stat`.

Usage: scripts/cpu-ab.py [--instructions] RUNS CMD [CMD...]   (each CMD one quoted string)"""
import argparse, os, re, shlex, statistics as st, subprocess, sys, tempfile, time


def instructions(cmd):
    """Instructions executed by `cmd` (callgrind's total Ir), or None if valgrind failed."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + shlex.split(cmd)
        run = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        found = re.search(r"Collected : (\d+)", run.stderr)
        return int(found.group(1)) if found else None


def timed(runs, cmds):
    """Runs each command in turn, RUNS rounds after 3 warm-up rounds, and prints each one's
    median CPU and wall time, and with more than one command each one's times as multiples of
    the last command's (the floor, when one is given last): medians of the per-round ratios,
    which a machine whose speed drifts during the run disturbs least. Children are started
    with posix_spawn (vfork), so the wall time holds little of this script's own cost."""
    res = {c: ([], []) for c in cmds}
    devnull = os.open(os.devnull, os.O_WRONLY)
    quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    for i in range(runs + 3):
        for c in cmds:
            argv = shlex.split(c)
            t = time.monotonic()
            pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=quiet)
            _, status, ru = os.wait4(pid, 0)
            w = time.monotonic() - t
            if status != 0:
                print(f"exit status {status}: {c}", file=sys.stderr)
                sys.exit(1)
            if i >= 3:
                res[c][0].append((ru.ru_utime + ru.ru_stime) * 1000)
                res[c][1].append(w * 1000)
    floor_cpu, floor_wall = res[cmds[-1]]
    for c in cmds:
        cpu, wall = res[c]
        line = f"cpu {st.median(cpu):6.1f} ms  wall {st.median(wall):6.1f} ms"
        if len(cmds) > 1:
            rc = st.median(a / b for a, b in zip(cpu, floor_cpu))
            rw = st.median(a / b for a, b in zip(wall, floor_wall))
            line += f"  ×{rc:4.2f} cpu  ×{rw:4.2f} wall"
        print(f"{line}  {c}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions with callgrind (RUNS runs each; the median)")
    ap.add_argument("runs", type=int, help="runs of each command (after 3 warm-ups when timed)")
    ap.add_argument("cmds", nargs="+", metavar="CMD", help="a command, quoted as one string")
    args = ap.parse_args()
    if args.instructions:
        for c in args.cmds:
            counts = [n for n in (instructions(c) for _ in range(args.runs)) if n is not None]
            if not counts:
                print(f"valgrind failed: {c}", file=sys.stderr)
                sys.exit(1)
            print(f"instructions {st.median(counts) / 1e6:8.2f} M  {c}")
    else:
        timed(args.runs, args.cmds)


main()

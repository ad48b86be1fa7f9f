#!/usr/bin/env python3
"""Time the full-screen notebook in a real pseudo-terminal.

Measures, over N runs: start to the first full frame (complete when ratatui hides the cursor at
the end of its draw), and a
keystroke to the next frame (`j`: the selection moves, so two rows change), plus the peak RSS
of the process. Usage:

    scripts/tui-latency.py --db PATH [--kam target/release/kam] [--runs 20] [--now 2026-11-27T08:00:00+03:00]
        [--key 4 --until "Open pipeline"]   # a screen switch: the key, and text its frame shows

Only the standard library; the terminal is 100x30.
"""
import argparse, fcntl, os, pty, resource, select, statistics, struct, termios, time


# ratatui hides the cursor at the end of every draw: the frame is complete when it is sent.
FRAME_END = b"\x1b[?25l"


def read_until(fd, needle, timeout=5.0):
    """Reads from fd until `needle` has been seen and the frame holding it is complete."""
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buf += chunk
            at = buf.find(needle)
            if at >= 0 and buf.find(FRAME_END, at) >= 0:
                return time.monotonic(), buf
    raise TimeoutError(f"{needle!r} not seen; got {buf[-300:]!r}")


def one_run(args):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, KAM_DB=args.db, KAM_NOW=args.now, TERM="xterm-256color", NO_COLOR="1")
        os.execve(args.kam, [args.kam], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.monotonic()
    first, _ = read_until(fd, b"kamnote")
    time.sleep(0.3)  # let the first tick pass
    os.read(fd, 65536) if select.select([fd], [], [], 0)[0] else None
    sent = time.monotonic()
    os.write(fd, args.key.encode())  # `j`: the selection moves down, two rows are redrawn
    # The next frame that changes cells: it moves the cursor (ESC [ row ; col H), which a tick's
    # empty redraw (only style resets and the cursor hide) never does; or the text asked for.
    key, _ = read_until(fd, args.until.encode() if args.until else b";")
    os.write(fd, b"q")
    _, status = os.waitpid(pid, 0)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    os.close(fd)
    return (first - start) * 1000, (key - sent) * 1000, rss


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--kam", default="target/release/kam")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--now", default="2026-11-27T08:00:00+03:00")
    p.add_argument("--key", default="j", help="the key to time (default j)")
    p.add_argument("--until", default=None, help="text the next frame must show")
    args = p.parse_args()
    starts, keys, rss = [], [], 0
    for _ in range(args.runs):
        s, k, r = one_run(args)
        starts.append(s)
        keys.append(k)
        rss = max(rss, r)
    print(f"start to first frame: median {statistics.median(starts):.1f} ms (min {min(starts):.1f}, max {max(starts):.1f})")
    print(f"keystroke to frame:   median {statistics.median(keys):.1f} ms (min {min(keys):.1f}, max {max(keys):.1f})")
    print(f"peak RSS:             {rss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()

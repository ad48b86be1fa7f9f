#!/usr/bin/env python3
"""Walk every main screen of the full-screen notebook in a pseudo-terminal and time each step.

Each run starts `kam` on a notebook in a 100x30 pseudo-terminal and goes: start to the first
frame, `2` accounts, `j`, `Enter` that account's dossier, `3` people, `G` end of the people list,
`4` deals, `5` insights, `6` coverage, `1` back to the agenda, then `/` and `contract` typed like
a fast typist (25 ms a key), timed from the last key. A step is done at the end of the first frame (ratatui hides the cursor when a draw is
complete) whose screen shows what the step asks for: the output is fed to a small terminal model,
so a screen that first says "updating" counts only once its figures are drawn. The table gives
each step's median over the runs against its budget (issue 16 / DESIGN.md §7), the spread (10th
to 90th percentile) to show how noisy the machine was, and "met" or "missed".

    scripts/tui-walk.py --db M=/tmp/latency/m.db --db L=/tmp/latency/l.db [--runs 15]
        [--kam target/release/kam] [--now 2026-11-27T08:00:00+03:00] [--dump]

Only the standard library. The notebooks are opened as they are (the walk writes nothing).
"""
import argparse, codecs, fcntl, os, pty, re, select, signal, statistics, struct, termios, time
import unicodedata

ROWS, COLS = 30, 100
FRAME_END = b"\x1b[?25l"
KEY_BUDGET = 16.0
START_BUDGET = {"S": 25.0, "M": 30.0, "L": 40.0}
SEARCH_BUDGET = 50.0


class Screen:
    """Just enough of a terminal for ratatui's output: cursor moves, clears and text."""

    CSI = re.compile(r"\x1b\[([0-9;?]*)([ -/]*)([@-~])")

    def __init__(self):
        self.grid = [[" "] * COLS for _ in range(ROWS)]
        self.row = self.col = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""

    def feed(self, data):
        text = self.pending + self.decoder.decode(data)
        self.pending = ""
        i = 0
        while i < len(text):
            c = text[i]
            if c == "\x1b":
                m = self.CSI.match(text, i)
                if m:
                    self.csi(m.group(1), m.group(3))
                    i = m.end()
                    continue
                if i + 1 >= len(text) or (text[i + 1] == "[" and not self.CSI.match(text + "m", i)):
                    self.pending = text[i:]  # an escape cut by the read: keep for the next one
                    return
                i += 2  # ESC 7, ESC 8 and the like
                continue
            if c == "\r":
                self.col = 0
            elif c == "\n":
                self.row = min(self.row + 1, ROWS - 1)
            elif c >= " ":
                if self.row < ROWS and self.col < COLS:
                    self.grid[self.row][self.col] = c
                wide = unicodedata.east_asian_width(c) in ("W", "F")
                self.col += 2 if wide else 1
            i += 1

    def csi(self, params, final):
        if params.startswith("?"):
            return
        nums = [int(p) if p else 0 for p in params.split(";")] if params else []
        if final in "Hf":
            self.row = max((nums[0] if nums else 1) - 1, 0)
            self.col = max((nums[1] if len(nums) > 1 else 1) - 1, 0)
        elif final == "J" and (nums[:1] in ([2], [3])):
            self.grid = [[" "] * COLS for _ in range(ROWS)]
        elif final == "K":
            for c in range(self.col, COLS):
                self.grid[self.row][c] = " "

    def text(self):
        return "\n".join("".join(r) for r in self.grid)


def at_end_of_list(text):
    m = re.search(r"(\d+) of (\d+) ·", text)
    return bool(m) and m.group(1) == m.group(2) and int(m.group(2)) > 1


def done_search(text):
    line = next((l for l in text.splitlines() if "Search: contract" in l), None)
    return line is not None and "…" not in line


# (name, keys to send, condition on the screen, budget key)
STEPS = [
    ("`2` accounts", "2", lambda t: "KAM stage" in t and re.search(r"\d+ of \d+ · by", t), "key"),
    ("`j` down a row", "j", lambda t: re.search(r"\b2 of \d+ · by", t), "key"),
    ("`Enter` that account's dossier", "\r", lambda t: "Overview" in t and "Loading" not in t
     and "updating" not in t, "key"),
    ("`3` people", "3", lambda t: "Attitude" in t and re.search(r"\b1 of \d+ · by", t), "key"),
    ("`G` end of the people list", "G", at_end_of_list, "key"),
    ("`4` deals", "4", lambda t: "Open pipeline" in t and "updating" not in t, "key"),
    ("`5` insights", "5", lambda t: "Pareto" in t and "updating" not in t, "key"),
    ("`6` coverage", "6", lambda t: "key people in" in t and "updating" not in t, "key"),
    ("`1` back to the agenda", "1", lambda t: "Open pipeline" not in t and "Pareto" not in t
     and "key people in" not in t and "Loading" not in t, "key"),
    ("search: `contract` typed", "/contract", done_search, "search"),
]


class Session:
    def __init__(self, args, db):
        self.screen = Screen()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            env = dict(os.environ, KAM_DB=db, KAM_NOW=args.now, TERM="xterm-256color", NO_COLOR="1")
            os.execve(args.kam, [args.kam], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.buf = b""

    def wait(self, cond, timeout=20.0):
        """Reads until a complete frame shows `cond`; returns the time that frame ended."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            now = time.monotonic()
            self.buf += chunk
            # Feed frame by frame, checking the screen at the end of each.
            while True:
                at = self.buf.find(FRAME_END)
                if at < 0:
                    break
                self.screen.feed(self.buf[: at + len(FRAME_END)])
                self.buf = self.buf[at + len(FRAME_END):]
                if cond(self.screen.text()):
                    self.screen.feed(self.buf)
                    self.buf = b""
                    return now
        raise TimeoutError("not seen; the screen:\n" + self.screen.text())

    def drain(self, pause):
        end = time.monotonic() + pause
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], max(end - time.monotonic(), 0))
            if r:
                try:
                    self.screen.feed(self.buf + os.read(self.fd, 1 << 16))
                    self.buf = b""
                except OSError:
                    return

    def close(self):
        try:
            os.write(self.fd, b"\x03")
        except OSError:
            pass
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            self.drain(0.05)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def one_run(args, db):
    times = {}
    started = time.monotonic()
    s = Session(args, db)
    try:
        first = s.wait(lambda t: "kamnote" in t and "Loading" not in t)
        times["start to first frame"] = (first - started) * 1000
        s.drain(args.settle)
        for name, keys, cond, _ in STEPS:
            if keys.startswith("/"):
                os.write(s.fd, b"/")
                s.wait(lambda t: "Search:" in t)
                s.drain(args.settle)
                for c in keys[1:-1]:
                    os.write(s.fd, c.encode())
                    time.sleep(0.025)
                keys = keys[-1]
            sent = time.monotonic()
            os.write(s.fd, keys.encode())
            t = s.wait(cond)
            times[name] = (t - sent) * 1000
            if args.dump:
                print(f"--- after {name}\n{s.screen.text()}")
            s.drain(args.settle)
    finally:
        s.close()
    return times


def pct(values, p):
    values = sorted(values)
    return values[min(int(p * len(values)), len(values) - 1)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", action="append", required=True, help="SIZE=PATH, e.g. L=/tmp/l.db")
    p.add_argument("--kam", default="target/release/kam")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--settle", type=float, default=0.25, help="pause after each step (s)")
    p.add_argument("--now", default="2026-11-27T08:00:00+03:00")
    p.add_argument("--dump", action="store_true", help="print the screen after each step")
    args = p.parse_args()
    sizes = [d.split("=", 1) for d in args.db]
    results = {}
    for size, db in sizes:
        runs = [one_run(args, db) for _ in range(args.runs)]
        results[size] = {k: [r[k] for r in runs] for k in runs[0]}
    names = ["start to first frame"] + [s[0] for s in STEPS]
    budgets = {s[0]: (SEARCH_BUDGET if s[3] == "search" else KEY_BUDGET) for s in STEPS}
    head = "| step | " + " | ".join(f"{z} median (p10–p90) | {z} budget | {z}" for z, _ in sizes) + " |"
    print(f"{args.runs} runs per size, ms, key to complete frame")
    print(head)
    print("|---|" + "---:|---:|---|" * len(sizes))
    for name in names:
        cells = []
        for z, _ in sizes:
            v = results[z][name]
            m = statistics.median(v)
            b = START_BUDGET.get(z, 40.0) if name.startswith("start") else budgets[name]
            cells.append(f"{m:.1f} ({pct(v, .1):.0f}–{pct(v, .9):.0f}) | ≤ {b:.0f} | "
                         + ("met" if m <= b else "**missed**"))
        print(f"| {name} | " + " | ".join(cells) + " |")
    if "M" in results and "L" in results:
        m = statistics.median(results["M"]["start to first frame"])
        l = statistics.median(results["L"]["start to first frame"])
        print(f"\nstart at L / start at M: {l / m:.2f} (budget ≤ 1.25: {'met' if l <= 1.25 * m else '**missed**'})")


if __name__ == "__main__":
    main()

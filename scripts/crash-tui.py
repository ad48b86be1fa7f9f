#!/usr/bin/env python3
"""Kill -9 the full-screen notebook while it saves a capture (RELIABILITY.md D2).

Each cycle starts `kam` in a tmux pane (its own socket), opens the capture popup (`n`), picks the
account, types a note with a unique marker, presses Ctrl-S and SIGKILLs the process at a random
moment around the save (sometimes before it, after a pause that lets the draft be kept). Then:

- `kam check` (integrity_check, foreign keys, search index) passes;
- a note whose "Saved note #i" reached the screen is in the notebook, whole, exactly once;
- a note never appears twice and never cut short, and every note saved in earlier cycles is there;
- a draft left behind comes back on the next start (its text is on screen in the capture popup)
  and is saved from there with Ctrl-S.

Only the standard library and tmux. Usage: scripts/crash-tui.py KAM DB CYCLES
"""
import os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

NOW = "2026-11-27T08:10:00+01:00"


class Pane:
    def __init__(self, socket):
        self.socket = socket
        self.session = None
        self.serial = 0

    def tmux(self, *args, check=False):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text, timeout=20.0):
        end = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > end:
                raise SystemExit(f"crash-tui: waited for {text!r}; the pane shows:\n{shown}")
            time.sleep(0.03)

    def keys(self, *keys, literal=False):
        self.tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def start(self, kam, db):
        """Starts kam in a new session (a new name each time; the old one is killed after, so the
        server never exits in between), and returns its pid."""
        command = f"KAM_NOW='{NOW}' TERM=xterm-256color NO_COLOR=1 exec '{kam}' --db '{db}'"
        old = self.session
        self.serial += 1
        self.session = f"kam{self.serial}"
        for attempt in range(10):
            made = subprocess.run(
                ["tmux", "-L", self.socket, "new-session", "-d", "-s", self.session, "-x", "100", "-y", "30", command],
                capture_output=True, text=True,
            )
            if made.returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"crash-tui: tmux new-session failed: {made.stderr}")
        self.tmux("set-option", "-t", self.session, "remain-on-exit", "on")
        if old:
            self.tmux("kill-session", "-t", old)
        return int(self.tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())

    def wait_dead(self, timeout=10.0):
        end = time.monotonic() + timeout
        while self.tmux("display-message", "-p", "-t", self.session, "#{pane_dead}").strip() != "1":
            if time.monotonic() > end:
                raise SystemExit("crash-tui: the killed kam did not die")
            time.sleep(0.02)
        time.sleep(0.05)  # tmux has read what the process wrote before it died


def notebook(db, kam):
    """(bodies of crash notes, texts of drafts), read after `kam check` recovered the WAL. An
    encrypted notebook (KAM_PASSPHRASE_CMD set) is read from a decrypted copy."""
    if os.environ.get("KAM_PASSPHRASE_CMD"):
        copy_dir = tempfile.mkdtemp(prefix="kam-crash-tui-")
        try:
            copy = os.path.join(copy_dir, "copy.db")
            for suffix in ("", "-wal"):
                if os.path.exists(db + suffix):
                    shutil.copyfile(db + suffix, copy + suffix)
            subprocess.run([kam, "--db", copy, "decrypt"], capture_output=True, check=True)
            return read_notebook(copy)
        finally:
            shutil.rmtree(copy_dir, ignore_errors=True)
    return read_notebook(db)


def read_notebook(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise SystemExit(f"crash-tui: integrity_check says {ok}")
        notes = [r[0] for r in conn.execute("SELECT body FROM interactions WHERE body LIKE 'tui-crash %'")]
        drafts = [r[0] for r in conn.execute("SELECT text FROM drafts")]
        return notes, drafts
    finally:
        conn.close()


def body(cycle):
    return f"tui-crash {cycle} " + "x" * 40 + " end"


def main():
    kam, db, cycles = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pane = Pane(f"kam-crash-tui-{os.getpid()}")
    saved = set()  # bodies acknowledged on screen
    stats = {"saved": 0, "draft": 0, "neither": 0, "recovered": 0}
    try:
        for cycle in range(1, cycles + 1):
            notes, drafts = notebook(db, kam)
            pid = pane.start(kam, db)
            pane.wait_for("Agenda")
            crash_drafts = [d for d in drafts if d.startswith("tui-crash ")]
            if crash_drafts:
                # D2: the draft being typed is recoverable on the next start.
                draft = crash_drafts[0]
                pane.wait_for(draft[:30])
                pane.keys("C-s")
                pane.wait_for("Saved note #i")
                saved.add(draft)
                stats["recovered"] += 1
            text = body(cycle)
            pane.keys("n")
            pane.wait_for("New note")
            pane.keys("crash test", literal=True)
            pane.wait_for("account Crash Test Hospital")
            pane.keys("Enter")
            pane.wait_for("account · Crash Test Hospital")
            pane.keys(text, literal=True)
            pane.wait_for(" end")
            if random.random() < 0.3:
                time.sleep(random.uniform(0.0, 1.5))  # the tick may keep a draft
                os.kill(pid, signal.SIGKILL)
            else:
                pane.keys("C-s")
                time.sleep(random.uniform(0.0, 0.06))
                os.kill(pid, signal.SIGKILL)
            pane.wait_dead()
            acked = "Saved note #i" in pane.screen()
            check = subprocess.run([kam, "--db", db, "check"], capture_output=True, text=True)
            if check.returncode != 0:
                raise SystemExit(f"crash-tui: cycle {cycle}: kam check failed:\n{check.stdout}{check.stderr}")
            notes, drafts = notebook(db, kam)
            if acked:
                saved.add(text)
            for note in notes:
                if not (note.endswith(" end") or note in saved):
                    raise SystemExit(f"crash-tui: cycle {cycle}: a note is cut short: {note!r}")
            dupes = {n for n in notes if notes.count(n) > 1}
            if dupes:
                raise SystemExit(f"crash-tui: cycle {cycle}: saved twice: {sorted(dupes)}")
            lost = saved - set(notes)
            if lost:
                raise SystemExit(f"crash-tui: cycle {cycle}: acknowledged but lost: {sorted(lost)}")
            if text in notes:
                stats["saved"] += 1
            elif text in drafts:
                stats["draft"] += 1
            else:
                stats["neither"] += 1
    finally:
        pane.tmux("kill-server")
    print(
        f"crash test (TUI): {cycles} cycles; the killed capture was saved {stats['saved']}×, "
        f"kept as a draft {stats['draft']}×, not yet kept {stats['neither']}×; "
        f"{stats['recovered']} drafts recovered on the next start; {len(saved)} acknowledged notes all present; "
        "integrity ok after every cycle"
    )


if __name__ == "__main__":
    main()

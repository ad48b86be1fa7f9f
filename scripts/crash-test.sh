#!/usr/bin/env bash
# Kill -9 loops (RELIABILITY.md D1 and D2).
#
# D1, `kam note`: in each cycle a writer saves notes one `kam note` at a time and logs every
# acknowledged one (exit 0); the cycle kills the running `kam` with SIGKILL at a random moment,
# then checks that `kam check` (integrity_check, foreign keys, search index) passes and that every
# acknowledged note is in the notebook.
# D3, `kam import`: an import killed at a random moment leaves all of it or none (cycles / 10).
# D2, the TUI: scripts/crash-tui.py kills the full-screen notebook around saving a capture (needs
# tmux and python3; skipped with a note without them).
#
#   scripts/crash-test.sh [CYCLES] [KAM]   (default 30 cycles each, $CARGO_TARGET_DIR/release/kam)
#   scripts/crash-test.sh 500              (the long run)
#   KAM_CRASH_ENCRYPTED=1 scripts/crash-test.sh 10   (the same on encrypted notebooks, issue 15.4)
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-30}
kam=${2:-${CARGO_TARGET_DIR:-target}/release/kam}
kam=$(realpath "$kam")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export KAM_DB="$dir/kam.db"
unset KAM_NOW
# With KAM_CRASH_ENCRYPTED=1 every notebook is encrypted right after it is made, and every
# command (and the TUI) gets the passphrase from the command below.
encrypted=${KAM_CRASH_ENCRYPTED:-0}
if [ "$encrypted" = 1 ]; then
  export KAM_PASSPHRASE_CMD='echo crash-test-passphrase'
fi
maybe_encrypt() {
  if [ "$encrypted" = 1 ]; then
    "$kam" --db "$1" encrypt >/dev/null
  fi
}
"$kam" account add "Crash Test Hospital" >/dev/null
maybe_encrypt "$KAM_DB"
acked="$dir/acked"
: >"$acked"
padding=$(printf 'x%.0s' $(seq 1 300))

writer() {
  local n=0
  while :; do
    n=$((n + 1))
    # Only a zero exit is an acknowledgement; the marker goes to the log after it.
    if "$kam" note "#a1" "crash-note $1-$n $padding" >/dev/null 2>&1; then
      echo "crash-note $1-$n" >>"$acked"
    fi
  done
}

start=$SECONDS
for cycle in $(seq 1 "$cycles"); do
  writer "$cycle" &
  wpid=$!
  if [ "$encrypted" = 1 ]; then
    # Each command first derives the key (PBKDF2, a few hundred ms in a debug build).
    sleep "$((RANDOM % 2)).$((RANDOM % 10))"
  else
    sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
  fi
  # Stop the writer loop first (so it starts no new note), then kill whatever kam is mid-write.
  kill -STOP "$wpid" 2>/dev/null || true
  pkill -KILL -P "$wpid" 2>/dev/null || true
  kill -KILL "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
  if ! "$kam" check >"$dir/check" 2>&1; then
    echo "cycle $cycle: kam check failed:" >&2
    cat "$dir/check" >&2
    exit 1
  fi
  "$kam" export >"$dir/export.jsonl"
  # Each acknowledged marker, quoted as the start of a body, must be in the export.
  sed 's/.*/"& x/' "$acked" >"$dir/patterns"
  found=$(grep -oFf "$dir/patterns" "$dir/export.jsonl" | sort -u | wc -l || true)
  want=$(wc -l <"$acked")
  if [ "$found" -ne "$want" ]; then
    echo "cycle $cycle: $((want - found)) acknowledged notes lost" >&2
    exit 1
  fi
done
if [ "$encrypted" = 1 ]; then echo "(encrypted notebooks)"; fi
echo "crash test (kam note): $cycles cycles, $(wc -l <"$acked") acknowledged notes, all present; kam check ok after every cycle ($((SECONDS - start)) s)"

# D3, `kam import`: a 20,000-note import killed at a random moment leaves all or nothing.
import_cycles=$((cycles / 10 > 3 ? cycles / 10 : 3))
python3 - "$dir/import.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"type": "kamnote", "version": 1}) + "\n")
    f.write(json.dumps({"type": "account", "uid": "acc", "name": "Import Crash Clinic"}) + "\n")
    for i in range(20000):
        f.write(json.dumps({"type": "interaction", "uid": f"n{i}", "kind": "note", "account": "acc",
                            "at": "2026-11-20T10:00:00+00:00", "body": f"import note {i} " + "z" * 200}) + "\n")
PY
start=$SECONDS
all=0
none=0
for cycle in $(seq 1 "$import_cycles"); do
  db="$dir/import-$cycle.db"
  "$kam" --db "$db" account add "Existing Account" >/dev/null
  maybe_encrypt "$db"
  "$kam" --db "$db" import "$dir/import.jsonl" >/dev/null 2>&1 &
  ipid=$!
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  kill -KILL "$ipid" 2>/dev/null || true
  wait "$ipid" 2>/dev/null || true
  "$kam" --db "$db" check >"$dir/check" 2>&1 || { echo "import cycle $cycle: kam check failed:" >&2; cat "$dir/check" >&2; exit 1; }
  n=$("$kam" --db "$db" export | grep -c '"type":"interaction"' || true)
  accounts=$("$kam" --db "$db" export | grep -c '"type":"account"' || true)
  case "$n:$accounts" in
    0:1) none=$((none + 1)) ;;
    20000:2) all=$((all + 1)) ;;
    *) echo "import cycle $cycle: half an import: $n notes, $accounts accounts" >&2; exit 1 ;;
  esac
  rm -f "$db" "$db-wal" "$db-shm"
done
echo "crash test (kam import): $import_cycles imports killed: $none left nothing, $all finished whole, none half; kam check ok ($((SECONDS - start)) s)"

if command -v tmux >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
  start=$SECONDS
  python3 scripts/crash-tui.py "$kam" "$KAM_DB" "$cycles"
  echo "  ($((SECONDS - start)) s)"
else
  echo "note: tmux or python3 missing; the TUI crash test is skipped"
fi

#!/usr/bin/env bash
# Kill -9 loop against note writes (RELIABILITY.md D1): in each cycle a writer saves notes one
# `kam note` at a time and logs every acknowledged one; the cycle kills the running `kam` with
# SIGKILL at a random moment, then checks that every acknowledged note is in the notebook and
# that `kam check` (integrity_check, foreign keys, search index) passes.
#
#   scripts/crash-test.sh [CYCLES] [KAM]     (default 30 cycles, target/release/kam)
set -euo pipefail
cycles=${1:-30}
kam=${2:-target/release/kam}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export KAM_DB="$dir/kam.db"
"$kam" account add "Crash Test Hospital" >/dev/null
acked="$dir/acked"
: >"$acked"

writer() {
  local n=0
  while :; do
    n=$((n + 1))
    # Only a zero exit is an acknowledgement; the marker goes to the log after it.
    if "$kam" note "#a1" "crash-note $1-$n $(head -c 300 /dev/zero | tr '\0' x)" >/dev/null 2>&1; then
      echo "crash-note $1-$n" >>"$acked"
    fi
  done
}

for cycle in $(seq 1 "$cycles"); do
  writer "$cycle" &
  wpid=$!
  sleep "0.$((RANDOM % 5 + 1))"
  # Kill the writer loop first (so it starts no new note), then whatever kam is mid-write.
  kill -STOP "$wpid" 2>/dev/null || true
  pkill -KILL -P "$wpid" 2>/dev/null || true
  kill -KILL "$wpid" 2>/dev/null || true
  wait "$wpid" 2>/dev/null || true
  if ! "$kam" check >/dev/null; then
    echo "cycle $cycle: kam check failed" >&2
    "$kam" check >&2 || true
    exit 1
  fi
  missing=0
  export_file="$dir/export.jsonl"
  "$kam" export >"$export_file"
  while read -r marker; do
    grep -qF "\"$marker x" "$export_file" || { echo "cycle $cycle: lost $marker" >&2; missing=$((missing + 1)); }
  done <"$acked"
  [ "$missing" -eq 0 ] || exit 1
done
echo "crash test: $cycles cycles, $(wc -l <"$acked") acknowledged notes, all present; integrity ok after every cycle"

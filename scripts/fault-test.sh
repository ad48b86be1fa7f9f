#!/usr/bin/env bash
# Faults a test process cannot fake (RELIABILITY.md D4, D5): fsync and write failures injected
# into `kam note` with libfiu's fiu-run, and a full disk (a 2 MiB tmpfs). Each asserts a clear
# error, a non-zero exit, no acknowledgement, nothing half-written, and every note acknowledged
# before still there (`kam check` ok). The other faults (busy lock, concurrent writers, first-run
# race, newer or foreign files) are integration tests: tests/it/faults.rs, tests/it/store.rs, tests/it/cli.rs.
#
#   scripts/fault-test.sh [KAM]     (default $CARGO_TARGET_DIR/release/kam)
#
# Without fiu-run (apt-get install fiu-utils) or without permission to mount a tmpfs, that part is
# skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
kam=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/release/kam}")
dir=$(mktemp -d)
mnt=""
cleanup() {
  if [ -n "$mnt" ]; then umount "$mnt" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
unset KAM_NOW
fail() { echo "fault test: $*" >&2; exit 1; }

# The notebook $1 holds exactly the acknowledged notes listed in $2, each whole, and passes check.
assert_notes() {
  local db=$1 acked=$2 export_file
  export_file=$(mktemp -p "$dir")
  "$kam" --db "$db" check >/dev/null || fail "kam check failed on $db: $("$kam" --db "$db" check 2>&1)"
  "$kam" --db "$db" export >"$export_file"
  while read -r marker; do
    grep -qF "\"$marker end\"" "$export_file" || fail "acknowledged note lost or cut: $marker"
  done <"$acked"
}

# `kam note` under an injected fault: must fail with a message, print no acknowledgement, and
# leave either nothing or the whole note.
faulty_note() {
  local what=$1 db=$2 marker=$3
  shift 3
  local out err code=0
  out=$(fiu-run -x "$@" "$kam" --db "$db" note "#a1" "$marker end" 2>"$dir/err") || code=$?
  err=$(cat "$dir/err")
  [ "$code" -ne 0 ] || fail "$what: kam note exited 0 (stdout: $out)"
  [ -z "$out" ] || fail "$what: an acknowledgement was printed: $out"
  [ -n "$err" ] || fail "$what: no error message"
  # fiu picks the errno of an injected write failure at random among those pwrite can return:
  # ENOSPC is named as a full disk (11.27), any other as a disk error.
  case $err in
    *"disk reported an error"*"nothing was saved"* | *"disk is full"*"nothing was written"*) ;;
    *) fail "$what: unclear message: $err" ;;
  esac
  "$kam" --db "$db" check >/dev/null || fail "$what: kam check failed afterwards"
  local n
  n=$("$kam" --db "$db" export | grep -cF "$marker" || true)
  local whole
  whole=$("$kam" --db "$db" export | grep -cF "\"$marker end\"" || true)
  [ "$n" -eq "$whole" ] || fail "$what: the note is half-written"
  echo "  $what: exit $code, \"$err\"; afterwards the note is $([ "$n" -eq 0 ] && echo absent || echo 'present, whole')"
}

# --- D4: fsync and write failures -------------------------------------------------------------
if ! command -v fiu-run >/dev/null 2>&1; then
  echo "note: fiu-run is not installed (apt-get install fiu-utils); the fsync/write fault tests are skipped"
else
  db="$dir/fiu.db"
  acked="$dir/fiu-acked"
  : >"$acked"
  "$kam" --db "$db" account add "Fault Test Clinic" >/dev/null
  for i in 1 2 3; do
    "$kam" --db "$db" note "#a1" "fiu-before-$i end" >/dev/null
    echo "fiu-before-$i" >>"$acked"
  done
  echo "fault test D4 (fiu-run):"
  faulty_note "fsync fails" "$db" fiu-fsync \
    -c 'enable name=posix/io/sync/fsync' -c 'enable name=posix/io/sync/fdatasync'
  faulty_note "write fails" "$db" fiu-pwrite -c 'enable name=posix/io/rw/pwrite'
  faulty_note "one write in three fails" "$db" fiu-random \
    -c 'enable_random name=posix/io/rw/pwrite,probability=0.3'
  assert_notes "$db" "$acked"
  # Once the fault is gone, writing works again.
  "$kam" --db "$db" note "#a1" "fiu-after end" >/dev/null || fail "kam note fails after the fault is gone"
  echo "fiu-after" >>"$acked"
  assert_notes "$db" "$acked"
  echo "  every acknowledged note present; kam check ok; writing works again"
fi

# --- D5: disk full ---------------------------------------------------------------------------
mkdir -p "$dir/mnt"
if ! mount -t tmpfs -o size=2m tmpfs "$dir/mnt" 2>/dev/null; then
  echo "note: cannot mount a tmpfs here (needs root); the disk-full test is skipped"
else
  mnt="$dir/mnt"
  db="$mnt/kam.db"
  acked="$dir/full-acked"
  : >"$acked"
  "$kam" --db "$db" account add "Full Disk Pharmacy" >/dev/null
  # Fill the disk with a file we can remove later, leaving ~300 KiB, then write 40 KiB notes.
  avail=$(df -k --output=avail "$mnt" | tail -1)
  dd if=/dev/zero of="$mnt/filler" bs=1k count=$((avail - 300)) status=none 2>/dev/null || true
  text=$(head -c 40000 /dev/zero | tr '\0' y)
  code=0
  for i in $(seq 1 50); do
    if printf 'full-%s %s end' "$i" "$text" | "$kam" --db "$db" note "#a1" - >/dev/null 2>"$dir/err"; then
      echo "full-$i $text" >>"$acked"
    else
      code=$?
      break
    fi
  done
  [ "$code" -ne 0 ] || fail "disk full: 50 notes of 40 KB fitted in 300 KB"
  grep -qi "disk is full" "$dir/err" || fail "disk full: unclear message: $(cat "$dir/err")"
  echo "fault test D5 (2 MiB tmpfs): note $i refused with exit $code, \"$(cat "$dir/err")\"; $(wc -l <"$acked") earlier notes"
  # Reading still works on a full disk; every acknowledged note is there, whole.
  "$kam" --db "$db" agenda >/dev/null || fail "disk full: kam agenda fails on a full disk"
  "$kam" --db "$db" export >"$dir/full-export.jsonl" || fail "disk full: export fails"
  n=$(grep -c '"type":"interaction"' "$dir/full-export.jsonl" || true)
  [ "$n" -eq "$(wc -l <"$acked")" ] || fail "disk full: $n notes stored, $(wc -l <"$acked") acknowledged"
  rm -f "$mnt/filler"
  "$kam" --db "$db" check >/dev/null || fail "disk full: kam check failed after freeing space"
  "$kam" --db "$db" note "#a1" "after the disk was freed" >/dev/null || fail "disk full: no write after freeing space"
  echo "  every acknowledged note present; kam check ok; works again once space is freed"
fi

#!/usr/bin/env bash
# Whole-process figures next to the budgets of DESIGN.md §7: builds release, generates each size
# with the project's own generator (examples/gen.rs, the divan benches' fixture), imports it, and
# prints medians of `kam agenda`, `kam note` (on a copy), `kam search WORD`, `kam person show`,
# `kam account show` of the biggest account, TUI start and keystroke (scripts/tui-latency.py in a
# pseudo-terminal), peak RSS (/usr/bin/time) and the file size.
#
#   scripts/bench.sh            M and L (L: ~4 min to generate, ~70 s CPU to import)
#   scripts/bench.sh S M        the sizes given
#   KAM_BENCH_DB_L=/path/L.db scripts/bench.sh L   measure a notebook already imported (copied
#                               first, never written); the import is then not timed
#
# Medians come from hyperfine (-N, warm cache) when installed, else from a loop of 20 runs.
# KAM_BENCH_WORK=DIR keeps the generated files there (default: a temporary directory, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(M L)
export TZ=UTC KAM_NOW=2026-11-27T08:00:00+03:00
unset KAM_DB

cargo build --release --locked --bin kam --example gen >&2
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
kam="$target/release/kam"
gen="$target/release/examples/gen"
work=${KAM_BENCH_WORK:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KAM_BENCH_WORK:-}" ] || trap 'rm -rf "$work"' EXIT

# median_ms NAME CMD...: "WALL CPU": the median wall time of CMD and its mean CPU time
# (user + system), in ms. The environment is inherited. On a busy machine the wall time waits
# for a core; the CPU time does not.
median_ms() {
  local name=$1
  shift
  if command -v hyperfine >/dev/null 2>&1; then
    local cmd
    cmd=$(printf '%q ' "$@")
    hyperfine -N --warmup 3 --runs 30 --style none --export-json "$work/$name.json" "$cmd" >/dev/null 2>&1
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]; print("%.1f %.1f" % (r["median"] * 1000, (r["user"] + r["system"]) * 1000))' "$work/$name.json"
  else
    python3 - "$@" <<'EOF'
import resource, statistics, subprocess, sys, time
times, cpu = [], 0.0
for i in range(23):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if i >= 3:
        times.append(time.perf_counter() - start)
        cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{statistics.median(times) * 1000:.1f} {cpu / 20 * 1000:.1f}")
EOF
  fi
}

# peak_mib CMD...: the peak RSS of one run, in MiB.
peak_mib() {
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1
  awk '{printf "%.1f", $1 / 1024}' "$work/rss"
}

# verdict VALUE BUDGET: "met" or "**missed**" (numbers; "n/a" passes through).
verdict() {
  case $1 in n/a) echo "" ;; "") echo "?" ;; *) awk -v v="$1" -v b="$2" 'BEGIN { print (v <= b) ? "met" : "**missed**" }' ;; esac
}

budget() { # budget OPERATION SIZE
  case "$1:$2" in
    agenda:S) echo 5 ;; agenda:M) echo 6 ;; agenda:L) echo 8 ;;
    note:*) echo 8 ;;
    search:S) echo 10 ;; search:M) echo 20 ;; search:L) echo 40 ;;
    dossier:S) echo 5 ;; dossier:M) echo 10 ;; dossier:L) echo 20 ;;
    start:S) echo 25 ;; start:M) echo 30 ;; start:L) echo 40 ;;
    key:*) echo 16 ;;
    rss_cli:S) echo 15 ;; rss_cli:M) echo 20 ;; rss_cli:L) echo 30 ;;
    rss_tui:S) echo 25 ;; rss_tui:M) echo 30 ;; rss_tui:L) echo 40 ;;
    import:S) echo 1 ;; import:M) echo 5 ;; import:L) echo 45 ;;
  esac
}

rows=()
row() { # row SIZE OPERATION "VALUE [CPU]" UNIT BUDGET-KEY
  local b v value cpu
  read -r value cpu <<<"$3"
  b=$(budget "$5" "$1")
  v=$(verdict "$value" "${b:-0}")
  [ "$value" = n/a ] || value="$value $4"
  rows+=("| $1 | $2 | $value | ${cpu:+$cpu $4} | ${b:+≤ $b $4} | ${b:+$v} |")
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for size in "${sizes[@]}"; do
  db="$work/$size.db"
  rm -f "$db" "$db-wal" "$db-shm"
  given_var="KAM_BENCH_DB_$size"
  if [ -n "${!given_var:-}" ]; then
    echo "$size: copying ${!given_var}" >&2
    cp "${!given_var}" "$db"
    import_s=n/a
  else
    echo "$size: generating (examples/gen)" >&2
    "$gen" --scale "$size" >"$work/$size.jsonl"
    echo "$size: importing $(du -h "$work/$size.jsonl" | cut -f1) of JSON Lines" >&2
    /usr/bin/time -f "%e %U %S %M" -o "$work/import-time" "$kam" --db "$db" import "$work/$size.jsonl" >/dev/null
    read -r wall user sys import_rss <"$work/import-time"
    # On a shared machine the wall time waits for the CPU: the verdict is on CPU time.
    import_s=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    import_wall=$wall
    rm -f "$work/$size.jsonl"
  fi
  export KAM_DB="$db"
  # The biggest account: the one with the most interactions.
  biggest=$(python3 - "$db" <<'EOF'
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(conn.execute("SELECT account_id FROM interactions WHERE account_id IS NOT NULL GROUP BY account_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0])
EOF
)
  echo "$size: measuring (biggest account #a$biggest)" >&2
  row "$size" '`kam agenda`' "$(median_ms agenda "$kam" agenda)" ms agenda
  cp "$db" "$work/$size-copy.db"
  row "$size" '`kam note` (durable, on a copy)' "$(KAM_DB="$work/$size-copy.db" median_ms note "$kam" note '#p1' 'Met Iván about the tender; he wants the price list by Friday')" ms note
  rm -f "$work/$size-copy.db"*
  if "$kam" search --help >/dev/null 2>&1; then
    row "$size" '`kam search tender` (top 20)' "$(median_ms search "$kam" search tender)" ms search
  else
    row "$size" '`kam search WORD`' n/a ms search
  fi
  row "$size" "\`kam person show '#p1'\`" "$(median_ms person "$kam" person show '#p1')" ms dossier
  row "$size" "\`kam account show '#a$biggest'\` (biggest)" "$(median_ms account "$kam" account show "#a$biggest")" ms dossier
  tui=$(scripts/tui-latency.py --db "$db" --kam "$kam" --runs 15 --now "$KAM_NOW")
  row "$size" 'TUI start to first full frame' "$(echo "$tui" | awk '/start to first frame/ {print $6}')" ms start
  row "$size" 'TUI keystroke to next frame' "$(echo "$tui" | awk '/keystroke to frame/ {print $5}')" ms key
  rss=0
  for cmd in "agenda" "person show #p1" "account show #a$biggest"; do
    # shellcheck disable=SC2086
    r=$(peak_mib "$kam" $cmd)
    rss=$(awk -v a="$rss" -v b="$r" 'BEGIN { print (b > a) ? b : a }')
  done
  row "$size" 'peak RSS, CLI (agenda, dossiers)' "$rss" MiB rss_cli
  row "$size" 'peak RSS, TUI' "$(echo "$tui" | awk '/peak RSS/ {print $3}')" MiB rss_tui
  if [ "$import_s" = n/a ]; then
    row "$size" '`kam import` (not run: notebook given)' n/a s import
  else
    row "$size" "\`kam import\` (CPU; $import_wall s wall, peak $(awk -v r="$import_rss" 'BEGIN{printf "%.0f", r/1024}') MiB)" "$import_s" s import
  fi
  size_mib=$(du -m --apparent-size "$db" | cut -f1)
  rows+=("| $size | notebook file | $size_mib MiB | | |")
  unset KAM_DB
  rm -f "$db" "$db-wal" "$db-shm"
done

echo
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d)"
echo
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| size | operation | median (wall) | CPU (user+sys) | budget (DESIGN.md §7) | |"
echo "|---|---|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"

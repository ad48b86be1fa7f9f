#!/usr/bin/env bash
# Sync the demo notebook with a local Radicale CalDAV/CardDAV server (issue 13), so a newcomer
# can see `kam sync` work and point a phone or Thunderbird at it.
#
#   scripts/sync-demo.sh [KAM] [PORT]   (default target/debug/kam, port 5232)
#
# Starts Radicale (pip install --user radicale) on 127.0.0.1:PORT with its data in a temporary
# folder and login kam / kam, makes the calendar and the address book, syncs the demo notebook
# into them, prints what to do next, and keeps the server running until Ctrl-C. The demo
# notebook and its config live in the same temporary folder (removed on exit): your own
# notebook is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
kam=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/debug/kam}")
port=${2:-5232}
if ! python3 -c 'import radicale' >/dev/null 2>&1; then
  echo "Radicale is not installed: python3 -m pip install --user radicale" >&2
  exit 1
fi
dir=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap "exit 130" INT TERM
printf 'kam:kam\n' >"$dir/users"
cat >"$dir/radicale.conf" <<EOF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $dir/users
htpasswd_encryption = plain
[storage]
filesystem_folder = $dir/collections
[logging]
level = warning
EOF
python3 -m radicale --config "$dir/radicale.conf" &
server=$!
for _ in $(seq 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
  sleep 0.1
done
base="http://127.0.0.1:$port/kam"
curl -s -o /dev/null -u kam:kam -X MKCALENDAR "$base/calendar/"
curl -s -o /dev/null -u kam:kam -X MKCOL "$base/contacts/" -H 'Content-Type: application/xml' \
  --data '<?xml version="1.0"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav"><set><prop><resourcetype><collection/><CR:addressbook/></resourcetype></prop></set></mkcol>'
cat >"$dir/config.toml" <<EOF
[sync]
calendar = "$base/calendar/"
contacts = "$base/contacts/"
username = "kam"
password_cmd = "echo kam"
EOF
export KAM_CONFIG="$dir/config.toml"
"$kam" demo --into "$dir/demo.db" --reset >/dev/null
echo "== kam sync (first: the demo notebook goes to the server)"
"$kam" --db "$dir/demo.db" sync
echo "== kam sync (again: nothing new either way)"
"$kam" --db "$dir/demo.db" sync
cat <<EOF

Radicale is running at http://127.0.0.1:$port/ (user kam, password kam):
  calendar      $base/calendar/
  address book  $base/contacts/
Add them in Thunderbird (New Calendar > On the Network; New Address Book > CardDAV) or on a
phone (DAVx⁵ on Android; iOS: Settings > Calendar > Accounts > Other > CalDAV), change
something there, then sync again with:
  KAM_CONFIG=$dir/config.toml $kam --db $dir/demo.db sync
  KAM_CONFIG=$dir/config.toml $kam --db $dir/demo.db agenda -n 7
Ctrl-C stops the server and removes the folder.
EOF
wait "$server"

#!/usr/bin/env bash
# The conformance suite against the real Toxiproxy 2.12.0 server, the reference ours is held to. The binary
# cannot be installed from any registry here: give its path in TOXIPROXY_SERVER, or put toxiproxy-server in
# one of the two folders the loop below looks in.
# Without it this says so and skips (exit 0): our own server's run of the suite is part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
server="${TOXIPROXY_SERVER:-}"
for candidate in ../shared/tools/toxiproxy/toxiproxy-server /work/shared/tools/toxiproxy/toxiproxy-server; do
  if [ -z "$server" ] && [ -x "$candidate" ]; then server="$candidate"; fi
done
if [ -z "$server" ]; then
  echo "conformance against the real Toxiproxy: SKIPPED (no toxiproxy-server; set TOXIPROXY_SERVER=/path/to/it)"
  exit 0
fi
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$server" -host 127.0.0.1 -port "$port" -proxy-metrics >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/version" >/dev/null && break
  sleep 0.1
done
echo "conformance against the real Toxiproxy at $server ($(curl -sf "http://127.0.0.1:$port/version"))"
TOXIPROXY_URL="http://127.0.0.1:$port" npx mocha --timeout 30000 'toxiproxy-server/test/conformance/**/*.test.ts'

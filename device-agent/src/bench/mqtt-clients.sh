#!/usr/bin/env bash
# Measures the agent with each MQTT client (docs/benchmarks-agent.md): start to connected, RSS while publishing with
# the Pi's JVM flags, and the bytes of jars each variant puts in the .deb. Each run gets a class path with only that
# client's jars, as the package carries only one. Needs: a built device-agent (target/*.jar and target/lib, e.g.
# ./mvnw -o -q -pl device-agent -am package -DskipTests) and Debian's mosquitto.
#
#   device-agent/src/bench/mqtt-clients.sh [runs=5] [publish-seconds=30] [interval-ms=20]
#   CDS=1 device-agent/src/bench/mqtt-clients.sh ...   # with a class-data archive per client, as the unit uses
#   AGENT_DIR=/copy/of/device-agent ...                  # a copy of target/ (to keep building meanwhile)
set -euo pipefail
cd "${AGENT_DIR:-$(dirname "$0")/../..}"   # device-agent
RUNS=${1:-5}; SECONDS_PUBLISHING=${2:-30}; INTERVAL=${3:-20}
JAR=$(ls target/device-agent-*.jar | grep -v -e sources -e javadoc | head -1)
# What the HiveMQ client brings (mvn dependency:tree): nothing else in the agent uses these.
HIVEMQ_ONLY='^(hivemq-mqtt-client|rxjava|reactive-streams|annotations|netty-.*|jctools-core|dagger|javax.inject)-[0-9]'
PAHO_ONLY='^org.eclipse.paho.mqttv5.client-[0-9]'
# The unit's flags (latchkey-agent.service) without the CDS archive and MALLOC_ARENA_MAX (agent-footprint.sh measures
# those); -Xms in the unit keeps the heap small on every Pi (the JVM's default initial heap is 1/64 of RAM).
PI=${PI:-'-Xms8m -Xmn2m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=5 -Xss256k -XX:MaxMetaspaceSize=64m -Dlatchkey.agent.logging=builtin'}
# (docs/benchmarks-agent.md's table of the two clients was measured with the flags of before issue 17's tuning:
#  PI='-Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxMetaspaceSize=64m -Dlogback.configurationFile=latchkey-agent-logback.xml')

classpath() { # $1 = regex of jars to leave out
  local cp="$JAR" f
  for f in target/lib/*.jar; do basename "$f" | grep -Eq "$1" || cp="$cp:$f"; done
  echo "$cp"
}
bytes() { # $1 = regex of jars to count
  local n=0 f
  for f in target/lib/*.jar; do basename "$f" | grep -Eq "$1" && n=$((n + $(stat -c %s "$f"))); done
  echo "$n"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CONF=$(mktemp); printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" > "$CONF"
/usr/sbin/mosquitto -c "$CONF" >/dev/null 2>&1 & MOSQ=$!
trap 'kill $MOSQ 2>/dev/null; rm -f "$CONF"' EXIT
sleep 0.5

echo "java: $(java -version 2>&1 | head -1); cores: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
all=$(bytes '.')
declare -A starts rss records
for i in $(seq "$RUNS"); do
  for client in paho hivemq; do   # interleaved, so both see the same background load
    if [ $client = paho ]; then leave=$HIVEMQ_ONLY; else leave=$PAHO_ONLY; fi
    CP=$(classpath "$leave")
    FLAGS=$PI
    if [ "${CDS:-0}" = 1 ]; then
      [ -f "/tmp/agent-$client.jsa" ] || java $PI -XX:ArchiveClassesAtExit="/tmp/agent-$client.jsa" -cp "$CP" \
          io.latchkey.agent.bench.StartupProbe "tcp://127.0.0.1:$PORT" 2 100 $client >/dev/null 2>&1
      FLAGS="$PI -XX:SharedArchiveFile=/tmp/agent-$client.jsa -Xshare:auto"
    fi
    out=$(java $FLAGS -cp "$CP" io.latchkey.agent.bench.StartupProbe "tcp://127.0.0.1:$PORT" 1 100 $client)
    starts[$client]+="$(echo "$out" | sed -n 's/^connected: \([0-9]*\) ms after JVM start.*/\1/p') "
    out=$(java $FLAGS -cp "$CP" io.latchkey.agent.bench.StartupProbe "tcp://127.0.0.1:$PORT" "$SECONDS_PUBLISHING" "$INTERVAL" $client)
    rss[$client]+="$(echo "$out" | sed -n 's/^peak VmRSS while publishing: \([0-9.]*\) MB.*/\1/p') "
    records[$client]=$(echo "$out" | grep '^t=' | tail -1)
  done
done
for client in paho hivemq; do
  if [ $client = paho ]; then leave=$HIVEMQ_ONLY; own=$PAHO_ONLY; else leave=$PAHO_ONLY; own=$HIVEMQ_ONLY; fi
  echo "$client: start to connected ms [${starts[$client]}] median $(printf '%s\n' ${starts[$client]} | median);" \
       "peak RSS MB [${rss[$client]}] median $(printf '%s\n' ${rss[$client]} | median);" \
       "client jars $(bytes "$own") B; lib/ $(( all - $(bytes "$leave") )) B; last run: ${records[$client]}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

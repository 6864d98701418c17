#!/usr/bin/env bash
# The agent's resident memory and start-up, setting by setting (docs/benchmarks-agent.md, "Memory and start-up, setting
# by setting"). Each round runs, for every variant, first the reference (io.latchkey.agent.bench.PahoConnectProbe: a bare
# JVM connecting one Paho client, fixed flags) and then the agent (StartupProbe, Paho, the .deb's class path), so that
# the ratio agent/reference of the same moment says what the agent adds whatever else the machine is doing. The
# variants add one setting each, cumulatively, ending at what latchkey-agent.service runs. Needs a built device-agent
# (./mvnw -o -q -pl device-agent -am package -DskipTests) and Debian's mosquitto.
#
#   device-agent/src/bench/agent-footprint.sh [runs=5] [publish-seconds=15] [interval-ms=20] [unlocks=10]
#   VARIANTS="before unit" ...        # only some variants (names below)
#   AGENT_DIR=/copy/of/device-agent   # a copy of target/ (to keep building meanwhile)
#   TRACE=1 ...                       # also print the agent's start-up phases (-Dlatchkey.startup.trace=true)
set -euo pipefail
cd "${AGENT_DIR:-$(dirname "$0")/../..}"   # device-agent
RUNS=${1:-5}; SECONDS_PUBLISHING=${2:-15}; INTERVAL=${3:-20}; UNLOCKS=${4:-10}
JAR=$(ls target/device-agent-*.jar | grep -v -e sources -e javadoc | head -1)
HIVEMQ_ONLY='^(hivemq-mqtt-client|rxjava|reactive-streams|annotations|netty-.*|jctools-core|dagger|javax.inject)-[0-9]'
CP="$JAR"
for f in target/lib/*.jar; do basename "$f" | grep -Eq "$HIVEMQ_ONLY" || CP="$CP:$f"; done
WORK=$(mktemp -d)
REFERENCE='-Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1'

# The unit's flags before issue 17's work (the archive it named was never made by the .deb, so: no AppCDS).
BEFORE='-Xms16m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxMetaspaceSize=64m -Dlogback.configurationFile=latchkey-agent-logback.xml'
LOGGING=${BEFORE/-Dlogback.configurationFile=latchkey-agent-logback.xml/-Dlatchkey.agent.logging=builtin}
HEAP=${LOGGING/-Xms16m/-Xms8m -Xmn2m}
CDS="$HEAP -XX:SharedArchiveFile=$WORK/agent.jsa -Xshare:auto"
JIT="$CDS -XX:CompileThresholdScaling=5"
declare -A FLAGS=([before]="$BEFORE" [logging]="$LOGGING" [heap]="$HEAP" [malloc]="$HEAP" [cds]="$CDS" [jit]="$JIT")
declare -A MALLOC=([before]= [logging]= [heap]= [malloc]=2 [cds]=2 [jit]=2)
VARIANTS=${VARIANTS:-before logging heap malloc cds jit}   # jit = the unit (latchkey-agent.service)

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" > "$WORK/m.conf"
/usr/sbin/mosquitto -c "$WORK/m.conf" >/dev/null 2>&1 & MOSQ=$!
trap 'kill $MOSQ 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 0.5

# The archive as the .deb's postinst makes it: a static dump of the classes the shipped class list names.
java -Xshare:dump -XX:SharedClassListFile=src/main/dist/latchkey-agent.classlist -XX:SharedArchiveFile="$WORK/agent.jsa" \
    -cp "$CP" > "$WORK/dump.log" 2>&1 || { echo "CDS dump failed:"; tail "$WORK/dump.log"; }
echo "java: $(java -version 2>&1 | head -1); cores: $(nproc); archive: $(stat -c %s "$WORK/agent.jsa" 2>/dev/null) B"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
declare -A start ref ratio rss unlock
for i in $(seq "$RUNS"); do
  for v in $VARIANTS; do
    r=$(java $REFERENCE -cp "$CP" io.latchkey.agent.bench.PahoConnectProbe "tcp://127.0.0.1:$PORT" | sed -n 's/^connected: \([0-9]*\) ms.*/\1/p')
    out=$(env ${MALLOC[$v]:+MALLOC_ARENA_MAX=${MALLOC[$v]}} java ${FLAGS[$v]} ${TRACE:+-Dlatchkey.startup.trace=true} -cp "$CP" io.latchkey.agent.bench.StartupProbe \
          "tcp://127.0.0.1:$PORT" "$SECONDS_PUBLISHING" "$INTERVAL" paho "$UNLOCKS" 2>&1)
    s=$(echo "$out" | sed -n 's/^connected: \([0-9]*\) ms after JVM start.*/\1/p')
    start[$v]+="$s "; ref[$v]+="$r "
    ratio[$v]+="$(awk -v a="$s" -v b="$r" 'BEGIN {printf "%.2f", a / b}') "
    rss[$v]+="$(echo "$out" | sed -n 's/^peak VmRSS while publishing: \([0-9.]*\) MB.*/\1/p') "
    unlock[$v]+="$(echo "$out" | sed -n 's/^unlock round trips: n=[0-9]* median \([0-9.]*\) ms.*/\1/p') "
    echo "run $i $v: start ${s} ms (reference ${r} ms), $(echo "$out" | grep -E '^peak|^unlock' | tr '\n' ' ') load $(cut -d' ' -f1 /proc/loadavg)"
    [ -z "${TRACE:-}" ] || echo "$out" | grep '^startup trace' || true
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
for v in $VARIANTS; do
  echo "$v: peak RSS MB median $(printf '%s\n' ${rss[$v]} | median) [${rss[$v]}];" \
       "start ms median $(printf '%s\n' ${start[$v]} | median) [${start[$v]}];" \
       "reference ms median $(printf '%s\n' ${ref[$v]} | median) [${ref[$v]}];" \
       "ratio median $(printf '%s\n' ${ratio[$v]} | median) [${ratio[$v]}];" \
       "unlock round trip ms median $(printf '%s\n' ${unlock[$v]} | median) [${unlock[$v]}]"
  echo "  flags: ${MALLOC[$v]:+MALLOC_ARENA_MAX=${MALLOC[$v]} }${FLAGS[$v]}"
done

#!/usr/bin/env bash
# The agent's start to connected, phase by phase, as the unit starts it (docs/benchmarks-agent.md, "Start to connected,
# phase by phase"): `latchkey-agent run --simulated --config agent.properties` with the unit's flags and the class-data
# archive the postinst makes, over mutual TLS with an EC P-256 device key and certificate to a Mosquitto that requires
# them (certificates made here with openssl). Each run prints -Dlatchkey.startup.trace's phases (ms since JVM start),
# then the agent is stopped (SIGTERM). Each round first runs the reference: the same flags and archive, a bare JVM that
# connects one Paho client without TLS (bench.PahoConnectProbe), so that agent / reference says what the agent adds
# whatever else the machine is doing; and `java -version` with the same flags, timed from the shell like the agent.
# Needs a built device-agent (./mvnw -o -q -pl device-agent -am package -DskipTests),
# Debian's mosquitto and openssl.
#
#   device-agent/src/bench/agent-start.sh [runs=7]
#   AGENT_DIR=/copy/of/device-agent   # a copy of target/ and src/main/dist (to keep building meanwhile)
#   DUMP=/tmp/run.classlist ...       # also write the classes the first run loads (-XX:DumpLoadedClassList; classlist.sh)
#   NOCDS=1 ...                       # without the archive
#   RSS_AFTER=10 ...                  # also read the agent's VmRSS 10 s after it connected
#   CLASSLIST=/other/list ...         # the archive from another class list
#   JAVA_EXTRA="-Xlog:class+load:file=/tmp/cl.log" ...   # more flags for the agent (not the reference)
#   INSPECT='jcmd $1 VM.native_memory summary' ...        # a command run with the agent's pid after RSS_AFTER (NMT etc.)
set -euo pipefail
cd "${AGENT_DIR:-$(dirname "$0")/../..}"   # device-agent
RUNS=${1:-7}
JAR=$(ls target/device-agent-*.jar | grep -v -e sources -e javadoc | head -1)
HIVEMQ_ONLY='^(hivemq-mqtt-client|rxjava|reactive-streams|annotations|netty-.*|jctools-core|dagger|javax.inject)-[0-9]'
CP="$JAR"
for f in target/lib/*.jar; do basename "$f" | grep -Eq "$HIVEMQ_ONLY" || CP="$CP:$f"; done
WORK=$(mktemp -d)
AGENT=
trap '[ -n "$AGENT" ] && kill $AGENT 2>/dev/null; kill $MOSQ 2>/dev/null; rm -rf "$WORK"' EXIT

# latchkey-agent.service's JAVA_OPTS (less -XX:+ExitOnOutOfMemoryError, which changes nothing here), MALLOC_ARENA_MAX=2
UNIT="-Xms8m -Xmn2m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=5 -Xss256k -XX:MaxMetaspaceSize=64m"
[ -n "${NOCDS:-}" ] || UNIT="$UNIT -XX:SharedArchiveFile=$WORK/agent.jsa -Xshare:auto"

# a CA, the broker's certificate for 127.0.0.1, the device's EC P-256 key (PKCS#8) and certificate, a command key
cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=bench-ca 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout broker.key -out broker.csr -subj /CN=127.0.0.1 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out broker.pem -days 2 -extfile san.ext 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out device.key 2>/dev/null
openssl req -new -key device.key -out device.csr -subj /CN=bench:probe-1 2>/dev/null
openssl x509 -req -in device.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out device.pem -days 2 2>/dev/null
COMMAND_KEY=$(openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout -outform DER | base64 -w0)
chmod 0755 "$WORK"; chmod 0644 ./*.pem ./*.key   # mosquitto, started as root, reads them as its own user
cd - >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PLAIN=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/m.conf" <<EOF
per_listener_settings false
allow_anonymous true
persistence false
listener $PLAIN 127.0.0.1
listener $PORT 127.0.0.1
cafile $WORK/ca.pem
certfile $WORK/broker.pem
keyfile $WORK/broker.key
require_certificate true
use_identity_as_username true
EOF
/usr/sbin/mosquitto -c "$WORK/m.conf" > "$WORK/mosquitto.log" 2>&1 & MOSQ=$!
sleep 0.5
cat > "$WORK/agent.properties" <<EOF
tenant=bench
device.id=probe-1
mqtt.url=ssl://127.0.0.1:$PORT
mqtt.tls.certificate=$WORK/device.pem
mqtt.tls.private-key=$WORK/device.key
mqtt.tls.ca=$WORK/ca.pem
command.keys.cmd-1=$COMMAND_KEY
data.dir=$WORK/data
EOF
mkdir -p "$WORK/data"

# the archive as the .deb's postinst makes it (latchkey-agent-cds)
[ -n "${NOCDS:-}" ] || java -Xshare:dump -XX:SharedClassListFile="${CLASSLIST:-src/main/dist/latchkey-agent.classlist}" \
    -XX:SharedArchiveFile="$WORK/agent.jsa" -cp "$CP" > "$WORK/dump.log" 2>&1 || { echo "CDS dump failed:"; tail -3 "$WORK/dump.log"; }
echo "java: $(java -version 2>&1 | head -1); cores: $(nproc); archive: $(stat -c %s "$WORK/agent.jsa" 2>/dev/null || echo none) B"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A phases
starts= refs= ratios= execs= cpus= versions= vratios= rsss=
for i in $(seq "$RUNS"); do
  r=$(MALLOC_ARENA_MAX=2 java $UNIT -cp "$CP" io.latchkey.agent.bench.PahoConnectProbe "tcp://127.0.0.1:$PLAIN" \
      | sed -n 's/^connected: \([0-9]*\) ms.*/\1/p')
  # a second reference, from the shell like the agent's "from exec": the JVM alone, `java -version` with the same flags
  v0=$(date +%s%3N); MALLOC_ARENA_MAX=2 java $UNIT -version 2>/dev/null; v=$(( $(date +%s%3N) - v0 ))
  dump=
  [ "$i" = 1 ] && [ -n "${DUMP:-}" ] && dump="-XX:DumpLoadedClassList=$DUMP"
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  : > "$WORK/agent.err"
  launched=$(date +%s%3N)
  MALLOC_ARENA_MAX=2 java $UNIT $dump ${JAVA_EXTRA:-} -Dlatchkey.startup.trace=true -cp "$CP" io.latchkey.agent.AgentMain \
      run --simulated --config "$WORK/agent.properties" > "$WORK/agent.out" 2> "$WORK/agent.err" & AGENT=$!
  # an agent without the trace (older builds) is timed by its log line at CONNACK
  for _ in $(seq 1000); do grep -q -e '^startup trace' -e 'connected to the broker' "$WORK/agent.err" "$WORK/agent.out" && break; sleep 0.03; done
  sleep 0.2
  [ -z "$dump" ] || sleep 3   # a few seconds of running for the class list (telemetry, journal)
  rss=
  if [ -n "${RSS_AFTER:-}" ]; then   # the resident memory that many seconds after connecting
    sleep "$RSS_AFTER"; rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' /proc/$AGENT/status 2>/dev/null || true); rsss+="$rss "
  fi
  [ -z "${INSPECT:-}" ] || bash -c "$INSPECT" inspect "$AGENT" || true
  kill -TERM $AGENT 2>/dev/null || true; wait $AGENT 2>/dev/null || true; AGENT=
  trace=$(grep -h '^startup trace' "$WORK/agent.err" || true)
  if [ -n "$trace" ]; then
    s=$(echo "$trace" | sed -n 's/.* connected=\([0-9]*\).*/\1/p')
    e=$(( $(echo "$trace" | sed -n 's/.*; at \([0-9]*\) ms since the epoch.*/\1/p') - launched ))
    cpus+="$(echo "$trace" | sed -n 's/.*; cpu \([0-9]*\) ms.*/\1/p') "
  else
    at=$(grep -h 'connected to the broker' "$WORK/agent.out" "$WORK/agent.err" | head -1 | cut -d' ' -f1)
    s=0; e=$(( $(date -u -d "today $at" +%s%3N) - launched ))
  fi
  starts+="$s "; refs+="$r "; execs+="$e "; versions+="$v "
  vratios+="$(awk -v a="$e" -v b="$v" 'BEGIN {printf "%.2f", a / b}') "
  ratios+="$(awk -v a="$s" -v b="$r" 'BEGIN {printf "%.2f", a / b}') "
  for p in $(echo "$trace" | grep -o ' [a-z]*=[0-9]*(+[0-9]*)' | sed 's/^ \([a-z]*\)=[0-9]*(+\([0-9]*\))/\1=\2/'); do
    phases[${p%%=*}]+="${p#*=} "
  done
  echo "run $i: connected ${s} ms after JVM start, ${e} ms after the shell started java (reference ${r} ms, java -version ${v} ms)${rss:+, VmRSS ${rss} MB ${RSS_AFTER} s after connecting}, load $(cut -d' ' -f1 /proc/loadavg)"
  echo "  $trace"
done
echo "java -version (exec to exit) ms median $(printf '%s\n' $versions | median) [$versions]; agent exec-to-connected / java -version median $(printf '%s\n' $vratios | median) [$vratios]"
[ -z "$rsss" ] || echo "VmRSS ${RSS_AFTER} s after connecting, MB median $(printf '%s\n' $rsss | median) [$rsss]"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
echo "start to connected ms median $(printf '%s\n' $starts | median) [$starts]; from the shell's exec median $(printf '%s\n' $execs | median) [$execs]; reference ms median $(printf '%s\n' $refs | median) [$refs];" \
     "ratio median $(printf '%s\n' $ratios | median) [$ratios]; CPU ms until connected median $(printf '%s\n' ${cpus:-0} | median) [$cpus]"
for p in main config hardware tls built connect socket connack connected; do
  [ -n "${phases[$p]:-}" ] && echo "  phase $p: ms since the phase before, median $(printf '%s\n' ${phases[$p]} | median) [${phases[$p]}]"
done
echo "flags: MALLOC_ARENA_MAX=2 $UNIT"

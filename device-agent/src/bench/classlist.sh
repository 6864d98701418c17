#!/usr/bin/env bash
# Writes src/main/dist/latchkey-agent.classlist: the classes the agent loads from start to connected and while publishing
# and answering commands (StartupProbe), and those of the real start over
# mutual TLS (agent-start.sh: config file, PEM key and certificate, TLS context and handshake), which the .deb's postinst turns into the class-data archive (AppCDS) the unit uses. Run after
# changes that load other classes at start (a stale list costs only start-up: classes it misses load from the jars,
# names it has that no longer exist are skipped). Needs a built device-agent, Debian's mosquitto and openssl.
set -euo pipefail
cd "$(dirname "$0")/../.."   # device-agent
JAR=$(ls target/device-agent-*.jar | grep -v -e sources -e javadoc | head -1)
CP="$JAR"
for f in target/lib/*.jar; do
  basename "$f" | grep -Eq '^(hivemq-mqtt-client|rxjava|reactive-streams|annotations|netty-.*|jctools-core|dagger|javax.inject)-[0-9]' || CP="$CP:$f"
done
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$PORT" > "$WORK/m.conf"
/usr/sbin/mosquitto -c "$WORK/m.conf" >/dev/null 2>&1 & MOSQ=$!
trap 'kill $MOSQ 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 0.5
java -Xms8m -Xmn2m -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlatchkey.agent.logging=builtin -Dslf4j.provider=io.latchkey.agent.cli.AgentLogProvider \
    -XX:DumpLoadedClassList="$WORK/all" -cp "$CP" io.latchkey.agent.bench.StartupProbe "tcp://127.0.0.1:$PORT" 3 100 paho 2 >/dev/null
# Not the other subcommands' picocli model (AgentMain --help, status, decode): the unit's `run --config` is read without
# picocli (RunCommand.plain), and with this JVM every class in the archive is resident in every agent, used or not
# (docs/benchmarks-agent.md, "Fewer classes"); the diagnostics load picocli from the jar.
: > "$WORK/cli"
# and the real start as the unit runs it: config file, device key and certificate, mutual TLS (agent-start.sh)
NOCDS=1 DUMP="$WORK/run" src/bench/agent-start.sh 1 >/dev/null
# not the benchmark's own classes (nor their lambdas); each line once
cat "$WORK/all" "$WORK/cli" "$WORK/run" | grep -v 'io/latchkey/agent/bench/' | awk '!seen[$0]++' > src/main/dist/latchkey-agent.classlist
wc -l src/main/dist/latchkey-agent.classlist

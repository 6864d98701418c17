#!/bin/bash
# What one mutual-TLS handshake costs the JDK client and Mosquitto (docs/benchmarks-scale.md, "Reconnect storm: where a
# TLS session's CPU goes"). Needs Debian's mosquitto and openssl and a built simulator (its target/lib). Usage, from the
# repository root:  flock /tmp/latchkey-bench.lock simulator/src/bench/tls/handshake-cost.sh [N]
# Environment: JAVA (default java), TLS_GROUPS (jdk.tls.namedGroups, default: the JDK's list), PORT (default 18883).
set -euo pipefail
n=${1:-500}; port=${PORT:-18883}; java=${JAVA:-java}
src=$(cd "$(dirname "$0")" && pwd); cp="$(pwd)/simulator/target/lib/*"
w=$(mktemp -d); trap 'kill $mpid 2>/dev/null || true; rm -rf "$w"' EXIT
cd "$w"
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=./index.txt\ncrlnumber=./crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n[v3_ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n[v3_srv]\nbasicConstraints=CA:false\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n[v3_dev]\nbasicConstraints=CA:false\nextendedKeyUsage=clientAuth\n' > o.cnf
touch index.txt; echo 01 > crlnumber
for c in platform device; do
  openssl ecparam -name prime256v1 -genkey -noout -out $c-ca.key
  openssl req -x509 -new -key $c-ca.key -subj "/CN=$c CA" -days 30 -extensions v3_ca -config o.cnf -out $c-ca.pem
done
openssl ecparam -name prime256v1 -genkey -noout -out broker.key
openssl req -new -key broker.key -subj /CN=localhost -out b.csr
openssl x509 -req -in b.csr -CA platform-ca.pem -CAkey platform-ca.key -CAcreateserial -days 30 -extfile o.cnf -extensions v3_srv -out broker.crt 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out dev.key
openssl req -new -key dev.key -subj /CN=dev-1 -out d.csr
openssl x509 -req -in d.csr -CA device-ca.pem -CAkey device-ca.key -CAcreateserial -days 30 -extfile o.cnf -extensions v3_dev -out dev.crt 2>/dev/null
openssl ca -gencrl -keyfile device-ca.key -cert device-ca.pem -config o.cnf -out device-ca.crl 2>/dev/null
# the tenant listener as broker-export writes it (cloud-api device.BrokerExport)
cat > m.conf <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root" )
per_listener_settings true
persistence false
set_tcp_nodelay true
log_dest stderr
log_type error
listener $port 127.0.0.1
protocol mqtt
cafile $w/device-ca.pem
crlfile $w/device-ca.crl
certfile $w/broker.crt
keyfile $w/broker.key
tls_version tlsv1.2
require_certificate true
use_identity_as_username true
allow_anonymous true
CONF
mosquitto -c m.conf 2> mosquitto.log & mpid=$!
sleep 1
javac -cp "$cp" -d . "$src/HandshakeCost.java"
for mode in full shared; do
  "$java" ${TLS_GROUPS:+-Djdk.tls.namedGroups=$TLS_GROUPS} -Dnodelay -cp ".:$cp" HandshakeCost "$port" "$n" $mode $mpid | tail -1
done

#!/usr/bin/env python3
"""Reads a loopback capture of the broker's port (unlock-capture.sh) and the benchmark's unlock-commands.csv.

Prints (1) for each kind of message, how long it spent inside the broker: from the PUBLISH arriving from its
sender to the same PUBLISH leaving for its receiver (matched by payload); (2) for every command, the legs
between the processes' own instants (the CSV) and the moments its command and its answer crossed the wire."""
import base64, collections, csv, datetime, hashlib, json, struct, sys

def varint(b, i):
    m, v = 1, 0
    while True:
        c = b[i]; i += 1
        v += (c & 127) * m; m *= 128
        if c < 128:
            return v, i

def command_ids(payload):
    """The command id in a signed command or a signed answer (JSON, its payload base64url JSON)."""
    try:
        doc = json.loads(payload)
    except ValueError:
        return []
    found = []
    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ('id', 'commandId') and isinstance(v, str):
                    found.append(v)
                elif k == 'payload' and isinstance(v, str):
                    try:
                        walk(json.loads(base64.urlsafe_b64decode(v + '=' * (-len(v) % 4))))
                    except ValueError:
                        pass
                else:
                    walk(v)
    walk(doc)
    return found

def kind(topic):
    parts = topic.split('/')
    if topic.startswith('lk/'):
        return 'lk/.../' + parts[-1]
    return parts[0] + '/' + parts[1].split('-')[0] if len(parts) > 1 else topic

def publishes(pcap, port):
    """(time, towards the broker?, topic or None, payload) of every PUBLISH, in order."""
    with open(pcap, 'rb') as f:
        magic, _, _, _, _, _, link = struct.unpack('<IHHiIII', f.read(24))
        scale = 1e9 if magic == 0xa1b23c4d else 1e6
        header = {1: 14, 113: 16}.get(link, 4)
        flows = collections.defaultdict(bytearray)
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, incl, orig = struct.unpack('<IIII', h)
            data = f.read(incl)
            ip = data[header:]
            if not ip or ip[0] >> 4 != 4:
                continue
            tcp = ip[(ip[0] & 15) * 4:]
            sport, dport = struct.unpack('>HH', tcp[:4])
            body = tcp[(tcp[12] >> 4) * 4:]
            if not body:
                continue
            key = (sport, dport)
            if incl < orig:   # cut at the snap length: this flow's stream cannot be followed until it realigns
                flows[key] = bytearray()
                continue
            buf = flows[key]
            buf += body
            i = 0
            while len(buf) - i >= 2:
                try:
                    length, j = varint(buf, i + 1)
                except IndexError:
                    break
                if j + length > len(buf):
                    break
                if buf[i] >> 4 == 3:
                    p = bytes(buf[j:j + length])
                    tl = struct.unpack('>H', p[:2])[0]
                    k = 2 + tl + (2 if (buf[i] >> 1) & 3 else 0)
                    props, k = varint(p, k)
                    yield sec + frac / scale, dport == port, p[2:2 + tl].decode('utf8', 'replace') or None, p[k + props:]
                i = j + length
            del buf[:i]

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]

def main(pcap, port, commands_csv):
    arrived, names, transit = {}, {}, collections.defaultdict(list)
    wire = collections.defaultdict(dict)
    for t, inbound, topic, payload in publishes(pcap, int(port)):
        digest = hashlib.sha1(payload).digest()
        if topic:   # MQTT 5 topic aliases leave the topic empty on repeats: remember it by payload
            names[digest] = topic
        topic = topic or names.get(digest, '?/?')
        if inbound:
            arrived[digest] = t
        elif digest in arrived:
            transit[kind(topic)].append((t - arrived.pop(digest)) * 1000)
        last = topic.rsplit('/', 1)[-1]
        if last in ('cmd', 'ack'):
            for cid in command_ids(payload):
                wire[cid].setdefault(last + ('_in' if inbound else '_out'), t)
    print('inside the broker (PUBLISH in -> the same PUBLISH out), ms')
    for k, d in sorted(transit.items(), key=lambda kv: -len(kv[1])):
        if len(d) >= 20:
            print(f'  {k:<24} n {len(d):6d}  p50 {pct(d, 50):6.2f}  p90 {pct(d, 90):6.2f}  p99 {pct(d, 99):7.2f}')
    rows = list(csv.DictReader(open(commands_csv)))
    legs = collections.defaultdict(list)
    order = None
    for r in rows:
        sent = datetime.datetime.fromisoformat(r['sent_at'].rstrip('Z')[:26]).replace(tzinfo=datetime.timezone.utc).timestamp()
        at = lambda c: sent + float(r[c]) / 1e6 if r.get(c) else None
        w = wire.get(r['command'], {})
        chain = [('request', sent), ('issued', at('issued')), ('command to the broker', w.get('cmd_in')),
                 ('command to the car', w.get('cmd_out')), ('car received', at('car_received')),
                 ('car answered', at('car_answered')), ('answer to the broker', w.get('ack_in')),
                 ('answer to the backend', w.get('ack_out')), ('backend received', at('backend_received')),
                 ('responded', at('responded'))]
        if any(t is None for _, t in chain):
            continue
        order = [(a, b) for (a, _), (b, _) in zip(chain, chain[1:])]
        for (a, ta), (b, tb) in zip(chain, chain[1:]):
            legs[(a, b)].append((tb - ta) * 1000)
    if not order:
        print('no command could be followed through the capture')
        return
    print(f'each command ({len(legs[order[0]])} of {len(rows)} followed), ms')
    for a, b in order:
        d = legs[(a, b)]
        print(f'  {a:>22} -> {b:<22} p50 {pct(d, 50):6.2f}  p90 {pct(d, 90):6.2f}  p99 {pct(d, 99):7.2f}')

if __name__ == '__main__':
    main(*sys.argv[1:4])

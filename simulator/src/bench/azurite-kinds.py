#!/usr/bin/env python3
"""Counts Azurite's requests by kind from its --debug log (LATCHKEY_AZURITE_DEBUG=<file> of `sim bench`).

usage: azurite-kinds.py LOG [FROM [TO]]     FROM/TO: UTC times HH:MM:SS (inclusive/exclusive) of the window
Prints, for the window, each kind (method, what: docs/<collection>, streams/<stream kind>, listing, comp=...,
conditional header) with its count and rate per second, and the total.
"""
import collections, re, sys, urllib.parse

LINE = re.compile(r'^(\S+)T(\d\d:\d\d:\d\d)\.\d+Z \S+ info: BlobStorageContextMiddleware: RequestMethod=(\S+) '
                  r'RequestURL=(\S+) RequestHeaders:(\{.*?\})')

def kind(method, url, headers):
    u = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qs(u.query)
    parts = urllib.parse.unquote(u.path).split('/')  # '', account, container, blob...
    account = parts[1] if len(parts) > 1 else '?'
    blob = '/'.join(parts[3:]) if len(parts) > 3 else ''
    comp = q.get('comp', [''])[0]
    what = ''
    if blob.startswith('docs/'):
        segs = blob.split('/')
        what = 'docs/' + (segs[1] if len(segs) > 2 else '?')
    elif blob.startswith('streams/'):
        segs = blob.split('/')
        name = segs[1] if len(segs) > 1 else '?'
        name = re.sub(r'-[A-Za-z0-9_.]*\d[A-Za-z0-9_.-]*$', '-{id}', name)
        what = 'streams/' + name
    elif blob:
        what = blob.split('/')[0] + '/…'
    else:
        what = 'container' if 'restype' in q else 'account'
        if 'prefix' in q:
            p = q['prefix'][0]
            p = re.sub(r'^(docs/[^/]+/|streams/[^/-]+).*', r'\1', p)
            what += ' prefix=' + p
    cond = []
    h = headers.lower()
    if '"if-none-match"' in h:
        cond.append('if-none-match')
    if '"if-match"' in h:
        cond.append('if-match')
    if 'x-ms-blob-condition-appendpos' in h:
        cond.append('appendpos')
    if '"x-ms-range"' in h or '"range"' in h:
        cond.append('range')
    return f'{account:9} {method:6} {what}' + (f' comp={comp}' if comp else '') + (' [' + ','.join(cond) + ']' if cond else '')

def main():
    log = sys.argv[1]
    lo = sys.argv[2] if len(sys.argv) > 2 else '00:00:00'
    hi = sys.argv[3] if len(sys.argv) > 3 else '99:99:99'
    counts = collections.Counter()
    seconds = set()
    with open(log, errors='replace') as f:
        for line in f:
            if 'BlobStorageContextMiddleware: RequestMethod=' not in line:
                continue
            m = LINE.match(line)
            if not m:
                continue
            t = m.group(2)
            if not (lo <= t < hi):
                continue
            seconds.add(t)
            counts[kind(m.group(3), m.group(4), m.group(5))] += 1
    span = max(1, (to_s(hi) if hi < '99' else to_s(max(seconds, default=lo)) + 1) - to_s(lo if lo > '00:00:00' else min(seconds, default=lo)))
    total = sum(counts.values())
    print(f'window {lo}-{hi} ({span} s): {total} requests, {total / span:.1f}/s')
    for k, n in counts.most_common():
        print(f'{n:9d} {n / span:9.1f}/s  {k}')

def to_s(t):
    h, m, s = t.split(':')
    return int(h) * 3600 + int(m) * 60 + int(s)

if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Resident memory of a JVM by part, from /proc/<pid>/smaps copies (docs/benchmarks-agent.md, "Where the real agent's
memory goes"). One file: its parts; two files: side by side with the difference (second minus first).

    INSPECT='cat /proc/$1/smaps > /tmp/agent.smaps' RSS_AFTER=8 device-agent/src/bench/agent-start.sh 1
    device-agent/src/bench/rss-parts.py /tmp/probe.smaps /tmp/agent.smaps

The Java heap is recognised by its address: with -Xmx48m and compressed oops it ends at 4 GB (0x100000000)."""
import re
import sys
from collections import defaultdict

HEAP_END = 0x100000000


def parts(path, heap_start):
    d = defaultdict(int)
    cur = None
    for line in open(path):
        m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$', line)
        if m:
            a, perm, name = int(m.group(1), 16), m.group(3), m.group(4).strip()
            if name.endswith('.jsa'):
                cur = 'class-data archive (.jsa)'
            elif heap_start <= a < HEAP_END:
                cur = 'Java heap'
            elif 'libjvm' in name:
                cur = 'libjvm.so'
            elif name.endswith('/lib/modules'):
                cur = "JDK's modules image"
            elif name == '[heap]':
                cur = 'malloc (brk heap)'
            elif name.startswith('/'):
                cur = 'other mapped files (libc, libstdc++, jars, ...)'
            elif 'x' in perm:
                cur = 'code cache'
            else:
                cur = 'other anonymous (malloc arenas, metaspace, thread stacks, GC tables)'
        elif line.startswith('Rss:'):
            d[cur] += int(line.split()[1])
    return d


def main(files):
    heap_start = HEAP_END - 48 * 1024 * 1024
    tables = [parts(f, heap_start) for f in files]
    keys = sorted(set().union(*tables), key=lambda k: -tables[-1].get(k, 0))
    print('| part | ' + ' | '.join(f'{f} MB' for f in files) + (' | difference MB |' if len(files) == 2 else ' |'))
    print('|---' * (len(files) + 1 + (len(files) == 2)) + '|')
    for k in keys + ['total']:
        v = [sum(t.values()) if k == 'total' else t.get(k, 0) for t in tables]
        row = f'| {k} | ' + ' | '.join(f'{x / 1024:.1f}' for x in v)
        print(row + (f' | {(v[1] - v[0]) / 1024:+.1f} |' if len(files) == 2 else ' |'))


if __name__ == '__main__':
    if not 1 <= len(sys.argv) - 1 <= 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

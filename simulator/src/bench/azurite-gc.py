#!/usr/bin/env python3
"""How long Azurite's extent GC stops the emulator, with and without the bench's launcher switching it off.

Usage: flock /tmp/latchkey-bench.lock simulator/src/bench/azurite-gc.py [extents] [garbage]   (default 20000 3000)

For each setting (GC every 20 s, GC off) it starts an Azurite in memory through the bench's launcher
(simulator/src/main/resources/io/latchkey/simulator/bench/azurite-launcher.js), writes `extents` append blocks (each
one extent, as the telemetry journal's appends are) and replaces one document `garbage` times (each replace leaves its
old extent unreferenced, as a car's state documents do), then sends one point read (HEAD) after another for 60 s and
prints the longest wait, the 99th percentile, and how many seconds the emulator answered nothing. Azurite: from
LATCHKEY_AZURITE_DIR or ~/.cache/latchkey/azurite-* (installed by cloud-api's Azurite ITs). docs/benchmarks-scale.md,
"Azurite's extent GC".
"""
import importlib.util, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("azcost", os.path.join(HERE, "azurite-cost.py"))
azcost = importlib.util.module_from_spec(spec)
spec.loader.exec_module(azcost)
LAUNCHER = os.path.join(HERE, "..", "main", "resources", "io", "latchkey", "simulator", "bench", "azurite-launcher.js")


def run(gc, extents, garbage):
    port = azcost.free_port()
    package = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(azcost.azurite_bin()))), "..", "..")
    env = dict(os.environ, LATCHKEY_AZURITE_PACKAGE=os.path.realpath(package), LATCHKEY_AZURITE_GC=gc)
    proc = subprocess.Popen(["node", LAUNCHER, "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                             "--silent", "--blobHost", "127.0.0.1", "--blobPort", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        azcost.wait_for_port(port)
        c = azcost.Client(port)
        c.req("PUT", "/cnt", {"restype": "container"})
        for b in range(extents // 1000 + 1):
            c.req("PUT", f"/cnt/journal-{b}", headers={"x-ms-blob-type": "AppendBlob"})
        for i in range(extents):
            c.req("PUT", f"/cnt/journal-{i // 1000}", {"comp": "appendblock"}, body=b"x" * 300)
        for i in range(garbage):
            c.req("PUT", "/cnt/state", body=b'{"seen":%d}' % i, headers={"x-ms-blob-type": "BlockBlob"})
        waits, end = [], time.time() + 60
        while time.time() < end:
            t = time.perf_counter()
            try:
                c.req("HEAD", "/cnt/state")
            except (ConnectionError, OSError):  # Azurite closed the idle keep-alive connection while it stalled
                c = azcost.Client(port)
                c.req("HEAD", "/cnt/state")
            waits.append(time.perf_counter() - t)
            time.sleep(0.01)
        waits.sort()
        stalled = sum(w for w in waits if w > 1)
        print(f"GC {gc:>6s}: {extents} extents, {garbage} unreferenced; {len(waits)} point reads in 60 s, "
              f"p99 {waits[int(len(waits) * 0.99)] * 1000:.1f} ms, longest {waits[-1] * 1000:.0f} ms, "
              f"{stalled:.1f} s spent in waits over 1 s", flush=True)
    finally:
        proc.terminate()
        proc.wait()


def main():
    extents = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    garbage = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    for gc in ("20000", "off"):
        run(gc, extents, garbage)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What one request costs Azurite (the blob emulator the scale benchmarks use as the shared store), by kind and by
the number of blobs in the container: point reads and writes, an append, reading a whole append blob, and listing.

Usage: flock /tmp/latchkey-bench.lock simulator/src/bench/azurite-cost.py [max-blobs]   (default 30000, ~4 min)

Starts its own Azurite in memory (from LATCHKEY_AZURITE_DIR or ~/.cache/latchkey/azurite-*, installed by cloud-api's
Azurite ITs), one client connection, requests one after another: each figure is Azurite's time per request plus this
client's (~0.1 ms), and its ratio to the point read (HEAD) measured in the same step. docs/benchmarks-scale.md,
"What a request costs Azurite".
"""
import base64, email.utils, glob, hashlib, hmac, http.client, os, random, socket, subprocess, sys, time

ACC = "devstoreaccount1"
KEY = base64.b64decode("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")


def azurite_bin():
    dirs = [os.environ["LATCHKEY_AZURITE_DIR"]] if os.environ.get("LATCHKEY_AZURITE_DIR") else []
    dirs += sorted(glob.glob(os.path.expanduser("~/.cache/latchkey/azurite-*")))
    for d in dirs:
        b = os.path.join(d, "node_modules", ".bin", "azurite-blob")
        if os.access(b, os.X_OK):
            return b
    sys.exit("no Azurite: run one of cloud-api's Azurite ITs once, or set LATCHKEY_AZURITE_DIR")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port):
    """Until Azurite accepts connections on the port (at most ~30 s)."""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)


class Client:
    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port)

    def req(self, verb, path, query=None, body=b"", headers=None):
        query = query or {}
        h = {"x-ms-date": email.utils.formatdate(usegmt=True), "x-ms-version": "2021-10-04"}
        h.update(headers or {})
        length = str(len(body)) if body else ""
        canon = "".join(f"{k}:{h[k]}\n" for k in sorted(k for k in h if k.startswith("x-ms-")))
        resource = f"/{ACC}/{ACC}{path}" + "".join(f"\n{k}:{query[k]}" for k in sorted(query))
        sts = f"{verb}\n\n\n{length}\n\n\n\n\n\n\n\n\n{canon}{resource}"
        h["Authorization"] = f"SharedKey {ACC}:" + base64.b64encode(
            hmac.new(KEY, sts.encode(), hashlib.sha256).digest()).decode()
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        self.c.request(verb, f"/{ACC}{path}" + ("?" + qs if qs else ""), body=body, headers=h)
        r = self.c.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{verb} {path}: {r.status} {data[:200]!r}")
        return data


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    port = free_port()
    proc = subprocess.Popen([azurite_bin(), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry",
                             "--silent", "--blobHost", "127.0.0.1", "--blobPort", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        c = Client(port)
        c.req("PUT", "/cnt", {"restype": "container"})
        n = 0
        print(f"{'request':44s} {'blobs':>7s} {'ms/request':>10s} {'x HEAD':>7s}")
        for target in [t for t in (1000, 3000, 10000, 30000, 100000) if t <= top]:
            while n < target:
                c.req("PUT", f"/cnt/doc-{n:06d}", body=b'{"x":1}', headers={"x-ms-blob-type": "BlockBlob"})
                n += 1
            c.req("PUT", f"/cnt/app-{target}", headers={"x-ms-blob-type": "AppendBlob"})

            def timed(fn, k):
                t = time.perf_counter()
                for i in range(k):
                    fn(i)
                return (time.perf_counter() - t) / k * 1000

            head = timed(lambda i: c.req("HEAD", f"/cnt/doc-{random.randrange(n):06d}"), 1000)
            rows = [("point read (HEAD, the reference)", head),
                    ("document read (GET)", timed(lambda i: c.req("GET", f"/cnt/doc-{random.randrange(n):06d}"), 1000)),
                    ("document replace (PUT)", timed(lambda i: c.req("PUT", f"/cnt/doc-{random.randrange(n):06d}",
                                                                      body=b'{"x":2}', headers={"x-ms-blob-type": "BlockBlob"}), 1000)),
                    ("append block, 1.4 kB (5 records)", timed(lambda i: c.req("PUT", f"/cnt/app-{target}", {"comp": "appendblock"},
                                                                               body=b"x" * 1400), 1000)),
                    ("read an append blob of 1,000 blocks", timed(lambda i: c.req("GET", f"/cnt/app-{target}"), 50)),
                    ("list by a prefix that 10 names match", timed(lambda i: c.req("GET", "/cnt", {"restype": "container", "comp": "list",
                                                                                                   "prefix": "doc-00012"}), 50)),
                    ("list 100 names (one page)", timed(lambda i: c.req("GET", "/cnt", {"restype": "container", "comp": "list",
                                                                                        "maxresults": "100", "prefix": "doc-"}), 20)),
                    ("list 5,000 names (one page)", timed(lambda i: c.req("GET", "/cnt", {"restype": "container", "comp": "list",
                                                                                          "maxresults": "5000", "prefix": "doc-"}), 5))]
            for name, ms in rows:
                print(f"{name:44s} {n:7d} {ms:10.2f} {ms / head:7.1f}", flush=True)
    finally:
        proc.terminate()


if __name__ == "__main__":
    main()

// Starts Azurite's blob service (the package in LATCHKEY_AZURITE_PACKAGE) with its extent GC set by
// LATCHKEY_AZURITE_GC: "off" (the bench's default), or a mark-and-sweep interval in milliseconds (Azurite's own is
// 600000). Written by the bench next to each Azurite it starts; the arguments are Azurite's own.
//
// Why: Azurite's extent GC runs every 10 minutes on the emulator's one thread without yielding, and each unreferenced
// extent it deletes re-sorts the in-memory extent index (measured: 14 ms per deleted extent at 10,000 extents, 200 ms
// at 100,000). A fleet that overwrites documents leaves thousands of unreferenced extents, so the sweep stops the
// emulator for many minutes and every request times out. Azure Storage has no such pause; see
// docs/benchmarks-scale.md, "Azurite's extent GC".
"use strict";
const path = require("path");
const pkg = process.env.LATCHKEY_AZURITE_PACKAGE;
if (!pkg) {
  console.error("LATCHKEY_AZURITE_PACKAGE is not set");
  process.exit(2);
}
const gc = (process.env.LATCHKEY_AZURITE_GC || "off").trim();
const manager = require(path.join(pkg, "dist", "src", "blob", "gc", "BlobGCManager.js")).default;
if (gc === "off") {
  // The loop keeps running (so that closing the server works as before) but sweeps nothing.
  manager.prototype.markSweep = async function () {};
  console.log("extent GC: off");
} else if (/^[0-9]+$/.test(gc)) {
  require(path.join(pkg, "dist", "src", "blob", "utils", "constants.js")).DEFAULT_GC_INTERVAL_MS = Number(gc);
  console.log("extent GC: every " + gc + " ms");
} else {
  console.error("LATCHKEY_AZURITE_GC must be off or a number of milliseconds, not " + gc);
  process.exit(2);
}
require(path.join(pkg, "dist", "src", "blob", "main.js"));

// SPDX-FileCopyrightText: 2026 The smolmidi authors
// SPDX-License-Identifier: MIT
// Runs one case module from tests/mp on the 32-bit MicroPython WebAssembly build.
// usage: node tests/wasm/run.mjs REPO_ROOT CASE_MODULE [HEAP_BYTES]
// The product modules, host_shim and tests/mp are copied into the VM's in-memory
// filesystem; the exit status is 1 if any case failed or the VM raised.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import fs from "node:fs";
import path from "node:path";

const [root, caseModule, heapArg] = process.argv.slice(2);
const heapsize = Number(heapArg || 2 * 1024 * 1024);

function copyDir(mp, src, dst) {
  mp.FS.mkdirTree(dst);
  for (const name of fs.readdirSync(src)) {
    const full = path.join(src, name);
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      if (name !== "node_modules" && name !== "__pycache__" && !name.startsWith(".")) {
        copyDir(mp, full, dst + "/" + name);
      }
    } else if (name.endsWith(".py") || name.endsWith(".mid") || name.endsWith(".bin")) {
      mp.FS.writeFile(dst + "/" + name, fs.readFileSync(full));
    }
  }
}

const mp = await loadMicroPython({
  heapsize,
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
mp.FS.mkdirTree("/repo");
for (const name of fs.readdirSync(root)) {
  if (name.endsWith(".py")) mp.FS.writeFile("/repo/" + name, fs.readFileSync(path.join(root, name)));
}
for (const dir of ["host_shim", "tests/mp", "examples", "boards"]) {
  if (fs.existsSync(path.join(root, dir))) copyDir(mp, path.join(root, dir), "/repo/" + dir);
}
try { mp.FS.mkdir("/tmp"); } catch (e) { /* already there */ }
try {
  mp.runPython(`
import sys
sys.path.insert(0, "/repo/tests/mp")
sys.path.insert(0, "/repo")
import mprun
if mprun.main(${JSON.stringify(caseModule)}):
    raise SystemExit(1)
`);
} catch (e) {
  const text = String(e);
  if (!text.includes("SystemExit")) process.stderr.write(text + "\n");
  process.exit(1);
}
process.exit(0);

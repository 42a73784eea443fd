// The fee functions in real Pyodide under Node: the wheels unpacked as the browser add-in
// unpacks them, then one call to skr_fee.excel.batch.call_many with every call at once.
// Usage: node pyodide_batch.mjs WHEEL_DIR CALLS_JSON_FILE  (prints the JSON results)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const [wheelDir, callsFile] = process.argv.slice(2);
const indexURL = path.dirname(fileURLToPath(import.meta.resolve("pyodide"))) + path.sep;
const pyodide = await loadPyodide({ indexURL });
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const name of fs.readdirSync(wheelDir).filter((n) => n.endsWith(".whl"))) {
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(path.join(wheelDir, name))), "wheel", { extractDir: site });
}
const callMany = pyodide.pyimport("skr_fee.excel.batch").call_many;
const started = performance.now();
const out = callMany(fs.readFileSync(callsFile, "utf8"));
process.stderr.write(`call_many: ${(performance.now() - started).toFixed(1)} ms\n`);
process.stdout.write(out);

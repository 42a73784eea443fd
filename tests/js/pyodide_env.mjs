// Real Pyodide under Node (npm pyodide) with the wheels in a folder unpacked into its
// site-packages, as the browser add-in unpacks them; returns skr_fee.excel.batch.call_many.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

export async function loadCallMany(wheelDir) {
  const indexURL = path.dirname(fileURLToPath(import.meta.resolve("pyodide"))) + path.sep;
  const pyodide = await loadPyodide({ indexURL });
  const site = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const name of fs.readdirSync(wheelDir).filter((n) => n.endsWith(".whl"))) {
    pyodide.unpackArchive(new Uint8Array(fs.readFileSync(path.join(wheelDir, name))), "wheel", { extractDir: site });
  }
  return pyodide.pyimport("skr_fee.excel.batch").call_many;
}

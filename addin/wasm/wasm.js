// skr-avgift's start of Python in the page (Pyodide), in place of xlwings Server's wasm.js.
//
// The same exports as xlwings Server's (pyodideReadyPromise, startPyodide), so that its task
// pane code runs the scripts ("Skapa bilaga", "Infoga avgiftsmall") in the page. What differs:
// - the wheels listed in xlwings/pyodide.json are fetched in parallel from this folder and
//   unpacked into site-packages (no micropip, no package index, nothing from another host), and
//   the settings and the scripts' Python files come as one zip (addin/wasm/hosting.py);
// - once Python is ready, the SKR_* functions (xlwings/custom-functions-code.js, which has
//   queued every call made before) get skr_fee.excel.batch.call_many through
//   globalThis.skrPython, or the reason Python could not start;
// - status and errors are in Swedish.
import { config } from "./config.js";

// Python's outcome (skr_fee.excel.batch.call_many, or why it could not start) to the SKR_* functions:
// to the promise their calls wait on when functions.js has run, else as the promise it will find.
function handOver(outcome) {
  const waiting = globalThis.skrPython;
  if (waiting) outcome.then(waiting.resolve, waiting.reject);
  else globalThis.skrPython = { ready: outcome };
}

function status(text) {
  const alert = document.querySelector("#global-status-alert");
  if (!alert) return;
  alert.classList.toggle("d-none", !text);
  if (text) alert.querySelector("span").textContent = text;
}

function showError(text) {
  const alert = document.querySelector("#global-error-alert");
  if (!alert) return;
  alert.classList.remove("d-none");
  alert.querySelector("span").textContent = text;
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response;
}

async function initPyodide() {
  if (config.onWasm === false) return undefined;
  try {
    status("Startar Python i tillägget …");
    const [pyodide, pyodideConfig] = await Promise.all([
      loadPyodide(),
      fetchOk(config.appPath + "/xlwings/pyodide.json").then((r) => r.json()),
    ]);
    // the wheels (served as .zip) and one archive with the settings and the scripts' Python files:
    // nothing in the folder is a dotfile or a .py that a careful web server would refuse
    const [wheels, archive] = await Promise.all([
      Promise.all(pyodideConfig.packages.map((url) => fetchOk(url).then((r) => r.arrayBuffer()))),
      fetchOk(pyodideConfig.archive).then((r) => r.arrayBuffer()),
    ]);
    const site = pyodide.runPython("import site; site.getsitepackages()[0]");
    for (const wheel of wheels) pyodide.unpackArchive(wheel, "wheel", { extractDir: site });
    pyodide.unpackArchive(archive, "zip", { extractDir: pyodide.FS.cwd() });
    // library warnings to the log (the console at debug level), never into the pane (skr_fee.rules.quiet)
    pyodide.pyimport("skr_fee.rules.quiet").route_warnings_to_log();
    await pyodide.runPythonAsync(pyodide.FS.readFile("./wasm_runtime.py", { encoding: "utf8" }));
    globalThis.wasmCustomScriptsCall = pyodide.globals.get("custom_scripts_call");
    globalThis.wasmCustomScriptsMeta = pyodide.globals.get("custom_scripts_meta");
    globalThis.skrPyodide = pyodide;
    status("");
    return pyodide;
  } catch (err) {
    console.error("Python kunde inte startas:", err);
    status("");
    showError(`Python kunde inte startas i tillägget: ${err.message}. Ladda om tillägget.`);
    throw err;
  }
}

export const pyodideReadyPromise = initPyodide();
if (config.onWasm !== false) {
  handOver(pyodideReadyPromise.then((pyodide) => pyodide.pyimport("skr_fee.excel.batch").call_many));
}

// xlwings Server's "lite" add-in loads Pyodide on demand; this add-in vendors it and never does.
export async function startPyodide() {
  return pyodideReadyPromise;
}

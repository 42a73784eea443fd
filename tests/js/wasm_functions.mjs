// addin/wasm/functions.js with real Pyodide under Node and a CustomFunctions stand-in: the calls
// of one recalculation are fired before Python is ready, as Excel does on open, and must wait.
// Usage: node wasm_functions.mjs FUNCTIONS_JS WHEEL_DIR CASES_JSON_FILE  (prints JSON)
import fs from "node:fs";
import vm from "node:vm";
import { loadCallMany } from "./pyodide_env.mjs";

const [functionsJs, wheelDir, casesFile] = process.argv.slice(2);
class CFError {
  constructor(code, message) { this.code = code; this.message = message; }
}
const associated = {};
globalThis.CustomFunctions = {
  Error: CFError,
  ErrorCode: { notAvailable: "#N/A", invalidValue: "#VALUE!" },
  associate: (name, fn) => { associated[name] = fn; },
};
vm.runInThisContext(fs.readFileSync(functionsJs, "utf8"), { filename: functionsJs });

const invocation = { address: "Blad1!A1" };
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const fired = cases.map((c) => associated[c.func](...c.args, invocation).then(
  (value) => ({ ok: true, value }), (e) => ({ ok: false, error: { code: e.code, message: e.message } })));

const callMany = await loadCallMany(wheelDir);
callMany("[]"); // imports and data read once, before the clock starts
const readyMs = performance.now(); // since this process started: the cold start
const started = performance.now();
globalThis.skrPython.resolve(callMany);
const results = await Promise.all(fired);
const ms = performance.now() - started;
// the same calls again, now that Python is ready: one recalculation
const again = performance.now();
await Promise.all(cases.map((c) => associated[c.func](...c.args, invocation).catch(() => null)));
process.stdout.write(JSON.stringify({ associated: Object.keys(associated).sort(), results, ms, ready_ms: readyMs,
                                      recalc_ms: performance.now() - again }));

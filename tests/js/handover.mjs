// Python's hand-over from the page that starts it (addin/wasm/wasm.js, its handOver) to the SKR_*
// functions (functions.js), in either order the two scripts may load, and when Python fails to
// start. Each case runs in a fresh context with a CustomFunctions stand-in.
// Usage: node handover.mjs FUNCTIONS_JS WASM_JS  (prints JSON)
import fs from "node:fs";
import vm from "node:vm";

const [functionsJs, wasmJs] = process.argv.slice(2);
const functionsText = fs.readFileSync(functionsJs, "utf8");
// wasm.js is a module that imports Pyodide; its handOver is taken whole from the file
const handOverText = fs.readFileSync(wasmJs, "utf8").match(/^function handOver\([\s\S]*?\n}\n/m)[0];

function page() {
  const associated = {};
  class CFError {
    constructor(code, message) { this.code = code; this.message = message; }
  }
  const context = vm.createContext({
    setTimeout, console,
    CustomFunctions: { Error: CFError, ErrorCode: { notAvailable: "#N/A", invalidValue: "#VALUE!" },
                       associate: (name, fn) => { associated[name] = fn; } },
  });
  context.globalThis = context;
  vm.runInContext(handOverText, context);
  return {
    functions: () => vm.runInContext(functionsText, context, { filename: functionsJs }),
    handOver: (outcome) => context.handOver(outcome),
    call: () => associated.SKR_FEE("Göteborg", 2025, { address: "A1" }).then(
      (value) => ({ ok: true, value }), (e) => ({ ok: false, code: e.code, message: e.message })),
  };
}

const callMany = (text) => JSON.stringify(JSON.parse(text).map(() => 1032899));
const out = {};

let p = page();  // functions.js first, then Python: the calls wait for it
p.functions();
let pending = p.call();
p.handOver(Promise.resolve(callMany));
out.functionsFirst = await pending;

p = page();  // Python first: functions.js finds its promise
p.handOver(Promise.resolve(callMany));
p.functions();
out.pythonFirst = await p.call();

for (const [name, order] of [["failedFirst", ["handOver", "functions"]], ["failedAfter", ["functions", "handOver"]]]) {
  p = page();
  const failed = Promise.reject(new Error("nätet svarar inte"));
  failed.catch(() => {});
  for (const step of order) step === "handOver" ? p.handOver(failed) : p.functions();
  out[name] = await p.call();
}
process.stdout.write(JSON.stringify(out));

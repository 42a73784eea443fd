// The add-in's JavaScript when things go wrong, under Node with stand-ins for Office and Python:
// every custom-function call of a recalculation is settled (a short answer, an answer that is no
// list, Python failing, a result that cannot be shown), and the ribbon's command completes when
// its script fails. Usage: node failures.mjs FUNCTIONS_JS RIBBON_JS  (prints JSON)
import fs from "node:fs";
import vm from "node:vm";

const [functionsJs, ribbonJs] = process.argv.slice(2);

class CFError {
  constructor(code, message) {
    if (message === "kan inte visas") throw new Error("Excel vägrade felvärdet");
    this.code = code;
    this.message = message;
  }
}
const associated = {};
globalThis.CustomFunctions = {
  Error: CFError,
  ErrorCode: { notAvailable: "#N/A", invalidValue: "#VALUE!" },
  associate: (name, fn) => { associated[name] = fn; },
};
const logged = [];
console.error = (...args) => logged.push(args.map(String).join(" "));
vm.runInThisContext(fs.readFileSync(functionsJs, "utf8"), { filename: functionsJs });

// one recalculation at a time: the calls are fired, then Python answers as the case says
let answer;
globalThis.skrPython.resolve((text) => answer(JSON.parse(text)));
const settle = (p) => Promise.race([
  p.then((value) => ({ settled: true, ok: true, value }),
         (e) => ({ settled: true, ok: false, code: e.code, message: e.message })),
  new Promise((res) => setTimeout(() => res({ settled: false }), 2000)),
]);
async function recalc(respond, n = 3) {
  answer = respond;
  const calls = [];
  for (let i = 0; i < n; i++) calls.push(associated.SKR_FEE(`k${i}`, 2025, { address: "A1" }));
  return Promise.all(calls.map(settle));
}
const mark = JSON.parse(process.argv[4] || '"\\u0001"');
const out = {
  short: await recalc(() => JSON.stringify([1, 2])),
  notAList: await recalc(() => JSON.stringify({ fel: 1 })),
  throws: await recalc(() => { throw new Error("Python föll"); }),
  cannotShow: await recalc(() => JSON.stringify([1, `${mark}#VALUE!${mark}kan inte visas`, 3])),
};

// the ribbon: Office's event must be completed also when the script fails
const completed = [];
let handler;
globalThis.Office = { actions: { associate: (name, fn) => { handler = fn; } } };
globalThis.xlwings = { runPython: async () => { throw new Error("servern svarar inte"); } };
vm.runInThisContext(fs.readFileSync(ribbonJs, "utf8"), { filename: ribbonJs });
await handler({ completed: () => completed.push(true) });
out.ribbonCompleted = completed.length;
out.logged = logged;
process.stdout.write(JSON.stringify(out));

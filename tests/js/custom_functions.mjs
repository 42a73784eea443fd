// Runs the custom-functions JavaScript the add-in serves, in Node, against the
// live server: Office's globals are stubbed (there is no Excel here), the HTTP
// calls are real. Usage: node custom_functions.mjs BASE_URL CASES_JSON
// Prints one JSON line per case: {name, ok, value} or {name, ok:false, error:{code, message}}.
import vm from "node:vm";

const [base, casesJson] = process.argv.slice(2);
const cases = JSON.parse(casesJson);

class CustomFunctionsError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
const associated = {};
const store = new Map();
Object.assign(globalThis, {
  window: { location: { origin: base } },
  localStorage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) },
  Office: {
    onReady: async (callback) => (callback ? callback({ host: "Excel" }) : { host: "Excel" }),
    context: { requirements: { isSetSupported: () => true } },
  },
  Excel: {
    RequestContext: class {
      constructor() {
        this.workbook = { name: "Bok1.xlsx", load() {} };
      }
      async sync() {}
    },
  },
  CustomFunctions: {
    associate: (name, fn) => (associated[name] = fn),
    Error: CustomFunctionsError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A" },
  },
  config: { requestTimeout: 30, customFunctionsMaxRetries: 1, customFunctionsRetryCodes: [] },
  xlwings: { getCultureInfoName: async () => "sv-SE", getDateFormat: async () => "yyyy-mm-dd" },
  // what xlwings' utils.js provides in the task pane: an axios-like POST
  xwRequest: {
    post: async (url, body, { headers }) => {
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
      const text = await response.text();
      let data;
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
      if (!response.ok) {
        const error = new Error(`HTTP ${response.status}`);
        error.response = { status: response.status, data, statusText: String(response.status) };
        throw error;
      }
      return { data };
    },
  },
});

const code = await (await fetch(`${base}/skr/custom-functions-code.js`)).text();
vm.runInThisContext(code, { filename: "custom-functions-code.js" });

const cell = (v) => (v instanceof CustomFunctionsError ? { error: { code: v.code, message: v.message } } : v);
for (const c of cases) {
  const fn = associated[c.func];
  const invocation = { address: "Blad1!A1", parameterAddresses: [] };
  try {
    const value = await fn(...c.args, invocation);
    const cells = Array.isArray(value) ? value.map((row) => row.map(cell)) : cell(value);
    console.log(JSON.stringify({ name: c.name, ok: true, value: cells }));
  } catch (e) {
    console.log(JSON.stringify({ name: c.name, ok: false, error: { code: e.code, message: e.message } }));
  }
}
console.log(JSON.stringify({ name: "associated", ok: true, value: Object.keys(associated).sort() }));

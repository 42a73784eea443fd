// skr-avgift in the browser: the SKR_* custom functions, answered by Python in the page (Pyodide).
//
// Excel calls a custom function once per formula: a fee table written cell by cell is 1 161
// calls on a recalculation. Each call is queued; the calls made in one browser task go to Python as
// one list (skr_fee.excel.batch.call_many), so the crossing into Python is paid once.
// Calls that come before Python is ready wait for it (Excel recalculates on open), never
// showing #VALUE!. An error cell comes back marked (skr_fee.excel.officejs.as_cells) and
// becomes a CustomFunctions.Error: #N/A or #VALUE! with the Swedish message on hover.
//
// The page that starts Pyodide (wasm.js) hands over callMany, or why Python could not start,
// through globalThis.skrPython: it settles the promise made here, or, when it runs first, leaves
// its own promise there for this script to find.
(function () {
  "use strict";
  // name -> number of parameters, filled in from the registry (src/skr_fee/excel/functions.py)
  // by make_addin.py when it builds the add-in
  const ARITY = {};
  // the error-cell mark and codes of skr_fee.excel.officejs (ERROR_MARK, OFFICE_CODES), filled in too
  const MARK = "";
  const CODES = {};

  function python() {
    if (!globalThis.skrPython) {
      let resolve, reject;
      const ready = new Promise((res, rej) => { resolve = res; reject = rej; });
      ready.catch(() => {}); // a failed start is told to each call (flush), not left unhandled
      globalThis.skrPython = { ready, resolve, reject };
    }
    return globalThis.skrPython;
  }

  function error(code, message) {
    return new CustomFunctions.Error(CustomFunctions.ErrorCode[CODES[code] || "invalidValue"], message);
  }

  function toCell(value) {
    if (typeof value !== "string" || !value.startsWith(MARK)) return value;
    const end = value.indexOf(MARK, 1);
    return error(value.slice(1, end), value.slice(end + 1));
  }

  function settle(call, result) {
    if (Array.isArray(result)) {
      const cells = result.map((row) => (Array.isArray(row) ? row.map(toCell) : [toCell(row)]));
      // a single error cell is thrown, so that Excel shows the message on hover
      if (cells.length === 1 && cells[0].length === 1 && cells[0][0] instanceof CustomFunctions.Error) {
        call.reject(cells[0][0]);
      } else {
        call.resolve(cells);
      }
      return;
    }
    const cell = toCell(result);
    if (cell instanceof CustomFunctions.Error) call.reject(cell);
    else call.resolve(cell);
  }

  let queue = [];

  function flush() {
    const batch = queue;
    queue = [];
    python().ready.then(
      (callMany) => {
        let results;
        try {
          results = JSON.parse(callMany(JSON.stringify(batch.map((c) => [c.name, c.args]))));
          if (!Array.isArray(results)) throw new Error("svaret är ingen lista");
        } catch (e) {
          console.error("SKR-avgift: beräkningen misslyckades", e);
          for (const c of batch) c.reject(error("#VALUE!", `SKR-avgift kunde inte räkna: ${e.message}`));
          return;
        }
        // every call is settled, also when the answer is short or one result cannot be shown
        batch.forEach((c, i) => {
          try {
            if (i >= results.length) throw new Error(`svar saknas för anrop ${i + 1} av ${batch.length}`);
            settle(c, results[i]);
          } catch (e) {
            console.error("SKR-avgift: ett svar kunde inte visas", e);
            c.reject(error("#VALUE!", `SKR-avgift kunde inte visa svaret: ${e.message}`));
          }
        });
      },
      (e) => {
        const message = `Python kunde inte startas i tillägget (${e && e.message}). Ladda om tillägget.`;
        for (const c of batch) c.reject(error("#VALUE!", message));
      },
    );
  }

  // Office.js passes a scalar for a single cell, a list of rows for a range, null or
  // undefined for an omitted optional argument, and the invocation last: every argument
  // goes on as a range, as the server route receives it.
  function asRange(value) {
    if (Array.isArray(value)) return value;
    return [[value === undefined ? null : value]];
  }

  function isInvocation(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function call(name, args) {
    if (args.length && isInvocation(args[args.length - 1])) args = args.slice(0, -1);
    return new Promise((resolve, reject) => {
      if (queue.length === 0) setTimeout(flush, 0);
      const shaped = [];
      for (let i = 0; i < ARITY[name]; i++) shaped.push(asRange(args[i]));
      queue.push({ name, args: shaped, resolve, reject });
    });
  }

  python();
  for (const name of Object.keys(ARITY)) {
    CustomFunctions.associate(name, (...args) => call(name, args));
  }
})();

// A stand-in for office.js in a browser with no Excel host: just enough of the
// Office and Excel object model for xlwings' task pane code to read a workbook
// (getBookData) and to carry out the actions the server sends back. The workbook
// comes from window.__fakeWorkbook = {name, active, sheets: [{name, values}]},
// set by the test; what the add-in does to it is kept in window.__excel.
(function () {
  const book = window.__fakeWorkbook;
  const log = [];
  const excel = (window.__excel = { log, added: [], protected: {}, formats: [], errors: [] });

  const colNumber = (letters) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const colLetters = (n) => {
    let s = "";
    for (n += 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    return s;
  };
  function parse(address) {
    const a = address.split("!").pop().replace(/\$/g, "");
    const [first, last = first] = a.split(":");
    const cell = (ref) => {
      const m = ref.match(/^([A-Z]+)(\d+)$/);
      return { r: Number(m[2]) - 1, c: colNumber(m[1]) - 1 };
    };
    const f = cell(first), l = cell(last);
    return { r: f.r, c: f.c, rows: l.r - f.r + 1, cols: l.c - f.c + 1 };
  }

  // Anything not modelled: an object whose every property is another such
  // object and which can be called; collections are empty, lookups are null.
  function auto(path) {
    const fn = function () {
      log.push(path + "()");
      return auto(path + "()");
    };
    return new Proxy(fn, {
      get(target, prop) {
        if (prop === "then") return undefined;
        if (prop === "toJSON") return () => null;
        if (prop === Symbol.toPrimitive) return () => "";
        if (prop === "items") return [];
        if (prop === "isNullObject") return /OrNullObject/.test(path);
        if (prop === "load") return () => auto(path);
        return auto(path + "." + String(prop));
      },
    });
  }
  const withFallback = (obj, path) =>
    new Proxy(obj, {
      get(target, prop) {
        if (prop in target) return target[prop];
        if (prop === "then") return undefined;
        return auto(path + "." + String(prop));
      },
    });

  function makeRange(sheet, address) {
    const p = parse(address);
    const cells = () =>
      Array.from({ length: p.rows }, (_, i) =>
        Array.from({ length: p.cols }, (_, j) => (sheet.values[p.r + i] || [])[p.c + j] ?? ""),
      );
    const write = (rows, kind) => {
      rows.forEach((row, i) =>
        row.forEach((v, j) => {
          sheet.values[p.r + i] = sheet.values[p.r + i] || [];
          sheet.values[p.r + i][p.c + j] = v;
        }),
      );
      log.push(`${kind} ${sheet.name}!${address}`);
    };
    const range = {
      address: `${sheet.name}!${address}`,
      rowIndex: p.r, columnIndex: p.c, rowCount: p.rows, columnCount: p.cols,
      isNullObject: false,
      worksheet: null,
      load() { return rangeProxy; },
      get values() { return cells(); },
      set values(v) { write(v, "values"); },
      get formulas() { return cells(); },
      set formulas(v) { write(v, "formulas"); },
      get numberFormat() { return cells().map((r) => r.map(() => "General")); },
      set numberFormat(v) { excel.formats.push([`${sheet.name}!${address}`, v[0][0]]); },
      format: withFallback({ autofitColumns() { log.push(`autofit ${sheet.name}!${address}`); } }, "format"),
      getCell(r, c) { return makeRange(sheet, `${colLetters(p.c + c)}${p.r + r + 1}`); },
      getResizedRange(dr, dc) {
        return makeRange(sheet, `${colLetters(p.c)}${p.r + 1}:${colLetters(p.c + p.cols - 1 + dc)}${p.r + p.rows + dr}`);
      },
      getSurroundingRegion() { return rangeProxy; },
    };
    const rangeProxy = withFallback(range, `range(${address})`);
    return rangeProxy;
  }

  function makeSheet(data, position) {
    const sheet = {
      name: data.name, values: data.values.map((r) => [...r]), position,
      visibility: "Visible", showGridlines: true,
      load() { return sheetProxy; },
      getRange(address = "A1") { return makeRange(sheet, address); },
      getRangeByIndexes(r, c, rows, cols) {
        return makeRange(sheet, `${colLetters(c)}${r + 1}:${colLetters(c + cols - 1)}${r + rows}`);
      },
      getUsedRangeOrNullObject() {
        const rows = sheet.values.length, cols = Math.max(1, ...sheet.values.map((r) => r.length));
        return makeRange(sheet, `A1:${colLetters(cols - 1)}${Math.max(rows, 1)}`);
      },
      getUsedRange() { return sheet.getUsedRangeOrNullObject(); },
      activate() { excel.active = sheet.name; },
      protection: withFallback({
        protected: false,
        load() { return this; },
        protect(options, password) { excel.protected[sheet.name] = { options, password }; },
      }, "protection"),
      names: withFallback({ items: [], load() { return this; } }, "names"),
      tables: withFallback({ items: [], load() { return this; } }, "tables"),
      charts: withFallback({ items: [], load() { return this; } }, "charts"),
      shapes: withFallback({ items: [], load() { return this; } }, "shapes"),
      pivotTables: withFallback({ items: [], load() { return this; } }, "pivotTables"),
      comments: withFallback({ items: [], load() { return this; } }, "comments"),
      notes: withFallback({ items: [], load() { return this; } }, "notes"),
    };
    const sheetProxy = withFallback(sheet, `sheet(${data.name})`);
    return sheetProxy;
  }

  const sheets = book.sheets.map(makeSheet);
  const worksheets = withFallback({
    get items() { return sheets; },
    load() { return worksheets; },
    getActiveWorksheet() { return sheets[book.active]; },
    getItem(name) { return sheets.find((s) => s.name === name); },
    getItemOrNullObject(name) {
      return sheets.find((s) => s.name === name) || withFallback({ isNullObject: true, load() { return this; } }, "null");
    },
    add(name) {
      const s = makeSheet({ name, values: [] }, sheets.length);
      sheets.push(s);
      excel.added.push(name);
      return s;
    },
    getCount() { return { value: sheets.length }; },
  }, "worksheets");
  const workbook = withFallback({
    name: book.name,
    worksheets,
    names: withFallback({ items: [], load() { return this; } }, "workbook.names"),
    tables: withFallback({ items: [], load() { return this; } }, "workbook.tables"),
    application: withFallback({ calculationMode: "Automatic", load() { return this; } }, "application"),
    load() { return workbook; },
    getSelectedRange() { return sheets[book.active].getRange("A1"); },
    getActiveCell() { return sheets[book.active].getRange("A1"); },
  }, "workbook");
  // what xlwings' functions page asks Excel for before a call: the culture and its date format
  const cultureInfo = { name: "sv-SE", load() {}, datetimeFormat: { shortDatePattern: "yyyy-MM-dd", load() {} } };
  const application = withFallback({ cultureInfo, load() { return this; } }, "context.application");
  const context = { workbook, application, sync: async () => {}, trackedObjects: auto("tracked") };

  window.Office = {
    onReady: (cb) => Promise.resolve({ host: "Excel", platform: "OfficeOnline" }).then((info) => (cb ? cb(info) : info)),
    context: {
      // every requirement set is there, unless a test lists some in window.__unsupported
      requirements: { isSetSupported: (name) => !(window.__unsupported || []).includes(name) },
      displayLanguage: "sv-SE",
      contentLanguage: "sv-SE",
      document: { settings: { get: () => null, set() {}, saveAsync() {} } },
    },
    actions: { associate() {} },
    HostType: { Excel: "Excel" },
  };
  window.Excel = {
    run: async (callback) => callback(context),
    RequestContext: function () { return context; },
    DeleteShiftDirection: {}, InsertShiftDirection: {},
  };
  // Custom functions: what the page associates is kept in window.__customFunctions, so that a
  // test calls them as Excel would (arguments, then the invocation object).
  const associated = (window.__customFunctions = {});
  window.CustomFunctions = {
    associate(name, fn) { associated[name] = fn; },
    Error: class extends Error {
      constructor(code, message) { super(message); this.code = code; }
    },
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A" },
  };
  window.Excel.CustomFunctionManager = { register: async () => { log.push("CustomFunctionManager.register"); } };
})();

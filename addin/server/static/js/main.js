// skr-avgift task pane: the callback "Skapa bilaga" ends with, and "Kontrollera bilaga".
// xlwings' own module (loaded before this one) puts its API on globalThis.xlwings.
const xlwings = globalThis.xlwings;

const kr = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });

// Called by the skapa_bilaga script (a runMacro action on its own book) once the
// annex sheet is written: lock it with the password, and offer the files the
// response carried (the server keeps nothing) as downloads.
function offer(selector, file) {
  const link = document.querySelector(selector);
  if (!file) {
    link.removeAttribute("href");
    return false;
  }
  const bytes = Uint8Array.from(atob(file.data), (ch) => ch.charCodeAt(0));
  link.href = URL.createObjectURL(new Blob([bytes], { type: file.type }));
  link.download = file.name;
  return true;
}

async function skrBilagaKlar(context, sheetName, password, code, files, amount) {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.protection.protect({ allowFormatColumns: true, selectionMode: "Normal" }, password);
  sheet.activate();
  await context.sync();
  document.querySelector("#bilaga-blad").textContent = sheetName;
  document.querySelector("#bilaga-belopp").textContent = `${kr.format(amount)} kr`;
  document.querySelector("#bilaga-losenord").textContent = password;
  document.querySelector("#bilaga-fingeravtryck").textContent = code;
  offer("#bilaga-xlsx", files.xlsx);
  document.querySelector("#bilaga-pdf-del").classList.toggle("d-none", !offer("#bilaga-pdf", files.pdf));
  document.querySelector("#bilaga-docx-del").classList.toggle("d-none", !offer("#bilaga-docx", files.docx));
  document.querySelector("#bilaga-resultat").classList.remove("d-none");
}
xlwings.registerCallback(skrBilagaKlar);

const config = JSON.parse(document.querySelector("#config").textContent);

// In the browser build Python runs in this page (wasm.js): the file is checked here, never sent.
async function checkInPage(file) {
  await globalThis.skrPython.ready;
  const check = globalThis.skrPyodide.pyimport("skr_fee.documents.check");
  const refused = check.refusal(file.size, file.name); // before the file is read into the page
  if (refused) return { ok: false, data: { detail: refused } };
  const data = JSON.parse(check.check_upload_json(new Uint8Array(await file.arrayBuffer()), file.name));
  return { ok: !data.detail, data };
}

async function checkOnServer(file) {
  const form = new FormData();
  form.append("fil", file, file.name);
  const auth =
    typeof globalThis.getAuth === "function" ? await globalThis.getAuth() : { token: "", provider: "" };
  const headers = auth.token ? { Authorization: auth.token, "Auth-Provider": auth.provider } : {};
  const response = await fetch(`${config.appPath}/skr/kontrollera`, { method: "POST", body: form, headers });
  return { ok: response.ok, data: await response.json() };
}

async function kontrolleraBilaga() {
  const out = document.querySelector("#kontroll-resultat");
  const file = document.querySelector("#kontroll-fil").files[0];
  out.classList.remove("d-none");
  if (!file) {
    out.textContent = "Välj först bilagans xlsx-fil.";
    return;
  }
  const { ok, data } = config.onWasm ? await checkInPage(file) : await checkOnServer(file);
  out.textContent = ok ? data.meddelande : data.detail;
  out.classList.toggle("text-danger", !ok || !data.intakt);
  out.classList.toggle("text-success", ok && data.intakt);
}
document.querySelector("#kontrollera-bilaga")?.addEventListener("click", kontrolleraBilaga);

// Custom functions need CustomFunctionsRuntime 1.4 (Microsoft 365, Excel 2021 and later): say so
// where Excel lacks it, instead of cells that stay #NAME?.
Office.onReady(() => {
  const supported = Office.context.requirements.isSetSupported("CustomFunctionsRuntime", "1.4");
  document.querySelector("#krav-saknas")?.classList.toggle("d-none", supported);
});

// skr-avgift task pane: the callback "Skapa bilaga" ends with, and "Kontrollera bilaga".
// xlwings' own module (loaded before this one) puts its API on globalThis.xlwings.
const xlwings = globalThis.xlwings;

// Called by the skapa_bilaga script (a runMacro action on its own book) once the
// annex sheet is written: lock it with the password, and offer the files the
// response carried (the server keeps nothing) as downloads. The amount comes written
// in Swedish by Python (skr_fee.rules.swedish), as everywhere else.
function offer(selector, file) {
  const link = document.querySelector(selector);
  // the previous annex's file is let go before the link points at the new one
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  if (!file) {
    link.removeAttribute("href");
    return false;
  }
  const bytes = Uint8Array.from(atob(file.data), (ch) => ch.charCodeAt(0));
  link.href = URL.createObjectURL(new Blob([bytes], { type: file.type }));
  link.download = file.name;
  return true;
}

function showResult(selector, text, ok) {
  const out = document.querySelector(selector);
  out.textContent = text;
  out.classList.remove("d-none");
  out.classList.toggle("text-danger", !ok);
  out.classList.toggle("text-success", ok);
}

async function skrBilagaKlar(context, sheetName, password, code, files, amountText) {
  try {
    const sheet = context.workbook.worksheets.getItem(sheetName);
    sheet.protection.protect({ allowFormatColumns: true, selectionMode: "Normal" }, password);
    sheet.activate();
    await context.sync();
  } catch (e) {
    console.error("Bilagan kunde inte låsas:", e);
    showResult("#bilaga-fel", `Bladet ${sheetName} skapades men kunde inte låsas (${e.message}). ` +
               "Ta bort bladet och tryck på Skapa bilaga igen.", false);
    return;
  }
  document.querySelector("#bilaga-blad").textContent = sheetName;
  document.querySelector("#bilaga-belopp").textContent = amountText;
  document.querySelector("#bilaga-losenord").textContent = password;
  document.querySelector("#bilaga-fingeravtryck").textContent = code;
  offer("#bilaga-xlsx", files.xlsx);
  document.querySelector("#bilaga-pdf-del").classList.toggle("d-none", !offer("#bilaga-pdf", files.pdf));
  document.querySelector("#bilaga-docx-del").classList.toggle("d-none", !offer("#bilaga-docx", files.docx));
  document.querySelector("#bilaga-fel")?.classList.add("d-none");
  document.querySelector("#bilaga-resultat").classList.remove("d-none");
}
xlwings.registerCallback(skrBilagaKlar);

const config = JSON.parse(document.querySelector("#config").textContent);

// In the browser build Python runs in this page (wasm.js): the file is checked here, never sent.
// The Python module's proxy is released after each check.
async function checkInPage(file) {
  await globalThis.skrPython.ready;
  const check = globalThis.skrPyodide.pyimport("skr_fee.documents.check");
  try {
    const refused = check.refusal(file.size, file.name); // before the file is read into the page
    if (refused) return { ok: false, data: { detail: refused } };
    const data = JSON.parse(check.check_upload_json(new Uint8Array(await file.arrayBuffer()), file.name));
    return { ok: !data.detail, data };
  } finally {
    check.destroy();
  }
}

async function checkOnServer(file) {
  const form = new FormData();
  form.append("fil", file, file.name);
  const auth =
    typeof globalThis.getAuth === "function" ? await globalThis.getAuth() : { token: "", provider: "" };
  const headers = auth.token ? { Authorization: auth.token, "Auth-Provider": auth.provider } : {};
  let response;
  try {
    response = await fetch(`${config.appPath}/skr/kontrollera`, { method: "POST", body: form, headers });
  } catch (e) {
    return { ok: false, data: { detail: "Kontrollen kunde inte göras: servern gick inte att nå. " +
                                        "Kontrollera nätverket och försök igen." } };
  }
  try {
    return { ok: response.ok, data: await response.json() };
  } catch (e) {
    return { ok: false, data: { detail: `Kontrollen kunde inte göras: servern svarade ${response.status} ` +
                                        "med något annat än ett svar från SKR-avgift. Försök igen, eller kontakta IT." } };
  }
}

async function kontrolleraBilaga() {
  const file = document.querySelector("#kontroll-fil").files[0];
  if (!file) {
    showResult("#kontroll-resultat", "Välj först bilagans xlsx-fil.", false);
    return;
  }
  let result;
  try {
    result = config.onWasm ? await checkInPage(file) : await checkOnServer(file);
  } catch (e) {
    console.error("Kontrollen misslyckades:", e);
    result = { ok: false, data: { detail: `Kontrollen kunde inte göras: ${e.message}.` } };
  }
  const { ok, data } = result;
  const detail = typeof data.detail === "string" ? data.detail : "Kontrollen kunde inte göras: oväntat svar.";
  showResult("#kontroll-resultat", ok ? data.meddelande : detail, ok && data.intakt);
}
document.querySelector("#kontrollera-bilaga")?.addEventListener("click", kontrolleraBilaga);

// Custom functions need CustomFunctionsRuntime 1.4 (Microsoft 365, Excel 2021 and later): say so
// where Excel lacks it, instead of cells that stay #NAME?.
Office.onReady(() => {
  const supported = Office.context.requirements.isSetSupported("CustomFunctionsRuntime", "1.4");
  document.querySelector("#krav-saknas")?.classList.toggle("d-none", supported);
});

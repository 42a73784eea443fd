// skr-avgift task pane: the callback "Skapa bilaga" ends with, and "Kontrollera bilaga".
// xlwings' own module (loaded before this one) puts its API on globalThis.xlwings.
const xlwings = globalThis.xlwings;

const kr = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });

// Called by the skapa_bilaga script (book.app.macro("skrBilagaKlar")) once the
// annex sheet is written: lock it with the password, and show the downloads.
async function skrBilagaKlar(context, sheetName, password, fingerprint, xlsxUrl, pdfUrl, amount, docxUrl) {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.protection.protect({ allowFormatColumns: true, selectionMode: "Normal" }, password);
  sheet.activate();
  await context.sync();
  document.querySelector("#bilaga-blad").textContent = sheetName;
  document.querySelector("#bilaga-belopp").textContent = `${kr.format(amount)} kr`;
  document.querySelector("#bilaga-losenord").textContent = password;
  document.querySelector("#bilaga-fingeravtryck").textContent = fingerprint;
  document.querySelector("#bilaga-xlsx").href = xlsxUrl;
  const pdf = document.querySelector("#bilaga-pdf");
  pdf.href = pdfUrl;
  document.querySelector("#bilaga-pdf-del").classList.toggle("d-none", !pdfUrl);
  document.querySelector("#bilaga-docx").href = docxUrl;
  document.querySelector("#bilaga-docx-del").classList.toggle("d-none", !docxUrl);
  document.querySelector("#bilaga-resultat").classList.remove("d-none");
}
xlwings.registerCallback(skrBilagaKlar);

async function kontrolleraBilaga() {
  const out = document.querySelector("#kontroll-resultat");
  const file = document.querySelector("#kontroll-fil").files[0];
  out.classList.remove("d-none");
  if (!file) {
    out.textContent = "Välj först bilagans xlsx-fil.";
    return;
  }
  const form = new FormData();
  form.append("fil", file, file.name);
  const config = JSON.parse(document.querySelector("#config").textContent);
  const response = await fetch(`${config.appPath}/skr/kontrollera`, { method: "POST", body: form });
  const data = await response.json();
  out.textContent = response.ok ? data.meddelande : data.detail;
  out.classList.toggle("text-danger", !response.ok || !data.intakt);
  out.classList.toggle("text-success", response.ok && data.intakt);
}
document.querySelector("#kontrollera-bilaga")?.addEventListener("click", kontrolleraBilaga);

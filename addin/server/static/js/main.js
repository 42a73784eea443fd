// skr-avgift task pane: the callback "Skapa bilaga" ends with, and "Kontrollera bilaga".
// xlwings' own module (loaded before this one) puts its API on globalThis.xlwings.
const xlwings = globalThis.xlwings;

const kr = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });

// Called by the skapa_bilaga script (book.app.macro("skrBilagaKlar")) once the
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
  const auth =
    typeof globalThis.getAuth === "function" ? await globalThis.getAuth() : { token: "", provider: "" };
  const headers = auth.token ? { Authorization: auth.token, "Auth-Provider": auth.provider } : {};
  const response = await fetch(`${config.appPath}/skr/kontrollera`, { method: "POST", body: form, headers });
  const data = await response.json();
  out.textContent = response.ok ? data.meddelande : data.detail;
  out.classList.toggle("text-danger", !response.ok || !data.intakt);
  out.classList.toggle("text-success", response.ok && data.intakt);
}
document.querySelector("#kontrollera-bilaga")?.addEventListener("click", kontrolleraBilaga);

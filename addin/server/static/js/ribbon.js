// The ribbon's "Skapa bilaga" button runs the same script as the task pane's.
async function skapaBilagaRibbon(event) {
  const authResult =
    typeof globalThis.getAuth === "function" ? await globalThis.getAuth() : { token: "", provider: "" };
  await xlwings.runPython({
    auth: authResult.token,
    scriptName: "skapa_bilaga",
    headers: { "Auth-Provider": authResult.provider },
  });
  event.completed();
}
Office.actions.associate("skapa-bilaga", skapaBilagaRibbon);

// The ribbon's "Skapa bilaga" button runs the same script as the task pane's.
// Office waits for event.completed() however the script ends: without it the button keeps spinning.
async function skapaBilagaRibbon(event) {
  try {
    const authResult =
      typeof globalThis.getAuth === "function" ? await globalThis.getAuth() : { token: "", provider: "" };
    await xlwings.runPython({
      auth: authResult.token,
      scriptName: "skapa_bilaga",
      headers: { "Auth-Provider": authResult.provider },
    });
  } catch (e) {
    console.error("Skapa bilaga misslyckades:", e);
  } finally {
    event.completed();
  }
}
Office.actions.associate("skapa-bilaga", skapaBilagaRibbon);

// The fee functions in real Pyodide under Node: one call to skr_fee.excel.batch.call_many
// with every call at once. Usage: node pyodide_batch.mjs WHEEL_DIR CALLS_JSON_FILE (prints JSON)
import fs from "node:fs";
import { loadCallMany } from "./pyodide_env.mjs";

const [wheelDir, callsFile] = process.argv.slice(2);
const callMany = await loadCallMany(wheelDir);
process.stdout.write(callMany(fs.readFileSync(callsFile, "utf8")));

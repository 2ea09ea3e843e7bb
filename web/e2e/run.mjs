// Runs every end-to-end test file (`e2e/*.e2e.mjs`, or those named on the
// command line) one after the other with node's test runner; they share one
// server, and each makes its own accounts.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const named = process.argv.slice(2);
// A named file is one of this folder's, however it is written
// (`albums.e2e.mjs`, `e2e/albums.e2e.mjs`, `web/e2e/albums.e2e.mjs`).
const files = (named.length > 0 ? named : readdirSync(here).filter((file) => file.endsWith(".e2e.mjs")).sort()).map(
  (file) => join(here, basename(file)),
);
const { status, error } = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...files], {
  stdio: "inherit",
});
if (error) {
  throw error;
}
process.exit(status ?? 1);

// Backups against the real server (issue 5, acceptance 7): the seeded admin
// opens the Backups page, presses "Back up now", and the worker's backup job
// (pg_dump into the local object store, then a prune) shows up in the table
// as a complete backup, without reloading the page; the job itself is on the
// Jobs page. The page is scanned before and after.
import assert from "node:assert/strict";
import { test } from "node:test";
import { admin, checkPage, signIn, watchedPage, withBrowser } from "./harness.mjs";

const BACKUP_ID = /\d{8}T\d{6}Z/;

test("the admin backs up now and sees the new backup listed", { timeout: 240_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    await signIn(page, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Backups" }).click();
    await page.getByRole("heading", { name: "Backups", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/admin/backups");
    await page.getByRole("heading", { name: "Summary" }).waitFor();
    await checkPage(page, "admin-backups");

    await page.getByRole("button", { name: "Back up now" }).click();
    const status = page.getByRole("status").filter({ hasText: "Backup queued (job" });
    await status.waitFor();
    assert.match(await status.textContent(), /Backup queued \(job [0-9a-f-]{36}\)/);
    assert.equal(await status.getByRole("link", { name: "Jobs page" }).getAttribute("href"), "/admin/jobs");

    // The page looks again every few seconds until the worker has made it.
    const done = page.getByRole("status").filter({ hasText: /is complete\./ });
    await done.waitFor({ timeout: 180_000 });
    const backupId = (await done.textContent()).match(BACKUP_ID)?.[0];
    assert.ok(backupId, "the announcement names the backup");

    const row = page.getByRole("table", { name: "All backups" }).getByRole("row").filter({ hasText: backupId });
    await row.getByRole("cell", { name: "Complete", exact: true }).waitFor();
    await row.getByRole("cell", { name: "Never verified", exact: true }).waitFor();
    // The e2e server sets no age recipients: stored as dumped.
    await row.getByRole("cell", { name: "No", exact: true }).waitFor();
    const summary = page.getByRole("region", { name: "Summary" });
    await summary.getByText(/^(just now|1 minute ago|\d+ minutes ago) \(/).waitFor();
    assert.equal(await page.getByRole("heading", { name: "Needs attention" }).count(), 0, "a fresh backup needs no attention");
    await checkPage(page, "admin-backups");

    // The job that made it is on the Jobs page.
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    await page.getByRole("button", { name: /^Succeeded \d+/ }).click();
    await page.getByRole("list", { name: "Succeeded jobs" }).getByText(/^backups\.run/).first().waitFor();
    page.assertClean();
  }),
);

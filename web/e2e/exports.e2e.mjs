// Data exports and the audit log against the real server (SPEC §8): a new
// member uploads a photo, requests an export on Settings and sees it become
// ready without reloading (the worker builds it), then downloads the ZIP
// through the page's link. The seeded admin finds the request and the
// download in Admin › Audit log, under the member's name. Each new page
// state is scanned.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { admin, checkPage, drawPhotos, signIn, signUp, uniqueEmail, watchedPage, withBrowser } from "./harness.mjs";

function isRequest(response, method, path) {
  return response.request().method() === method && new URL(response.url()).pathname === path;
}

test("a member exports their data and downloads it; the admin sees both in the audit log", { timeout: 240_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    const member = await signUp(page, { name: "Export Tester", email: uniqueEmail("export") });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Upload", exact: true }).click();
    const [photo] = await drawPhotos(page, 1);
    await page.getByLabel("Choose photos").setInputFiles([photo]);
    await page.getByText("Uploaded", { exact: true }).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
    const section = page.getByRole("region", { name: "Your data" });
    await section.getByText("No exports yet.").waitFor();
    const [requested] = await Promise.all([
      page.waitForResponse((response) => isRequest(response, "POST", "/api/v1/me/exports")),
      section.getByRole("button", { name: "Request an export" }).click(),
    ]);
    assert.equal(requested.status(), 202);
    const exported = await requested.json();
    assert.equal(exported.status, "pending", "the worker builds it in the background");

    // The section looks again every few seconds until the worker is done, and says so.
    await section.getByRole("status").filter({ hasText: "Your export is ready. Download it below." }).waitFor({ timeout: 180_000 });
    const card = section.getByRole("list", { name: "Your exports" }).getByRole("listitem").first();
    await card.getByText("Ready", { exact: true }).waitFor();
    await card.getByText("1 photo", { exact: true }).waitFor();
    await card.getByText("Available until", { exact: true }).waitFor();
    assert.equal(await section.getByRole("button", { name: "Request an export" }).getAttribute("aria-disabled"), null);
    await checkPage(page, "settings-export-ready");

    const link = card.getByRole("link", { name: /^Download the export requested / });
    assert.equal(await link.getAttribute("href"), `/api/v1/me/exports/${exported.id}/archive`);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    assert.match(download.suggestedFilename(), /^shoebox-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const zip = await readFile(await download.path());
    assert.equal(zip.subarray(0, 2).toString("latin1"), "PK", "the download is a ZIP");
    assert.ok(zip.length > photo.buffer.length, `the ZIP (${zip.length} bytes) holds more than the photo (${photo.buffer.length})`);
    // A ZIP names its entries in the clear, whatever their compression.
    for (const name of ["profile.json", "albums.json", "photos.json", "README.txt", "photos/"]) {
      assert.ok(zip.includes(name), `the ZIP has ${name}`);
    }
    page.assertClean();

    const adminPage = await watchedPage(browser);
    await signIn(adminPage, admin);
    await adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    await adminPage.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
    await adminPage.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    assert.equal(new URL(adminPage.url()).pathname, "/admin/audit");
    // Both entries name the export; the member's name is looked up beside their id.
    const rows = adminPage.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: exported.id });
    const downloaded = rows.filter({ hasText: "Export downloaded" });
    const asked = rows.filter({ hasText: "Export requested" });
    for (const row of [downloaded, asked]) {
      await row.getByText(member.name, { exact: true }).waitFor();
    }
    assert.equal(await rows.count(), 2);
    assert.deepEqual(
      await rows.evaluateAll((each) => each.map((row) => row.textContent.includes("Export downloaded"))),
      [true, false],
      "newest first: the download above the request",
    );
    await adminPage.getByText(/The log keeps identifiers only/).waitFor();
    await checkPage(adminPage, "admin-audit");
    adminPage.assertClean();
  }),
);

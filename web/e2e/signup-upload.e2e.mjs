// Sign up, upload three photos (a progress bar each), see their thumbnails;
// and the pages a visitor and a new member meet on the way, scanned.
import assert from "node:assert/strict";
import { test } from "node:test";
import { base, checkPage, drawPhotos, signUp, waitForLoadedImages, watchedPage, withBrowser } from "./harness.mjs";

test("sign up, upload three photos, see their thumbnails", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    await page.goto(`${base}/sign-in`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await checkPage(page, "sign-in");
    await page.goto(`${base}/sign-up`);
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    await checkPage(page, "sign-up");

    await signUp(page);
    await page.getByText("No photos yet").waitFor();
    await page.goto(`${base}/no/such/page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await checkPage(page, "not-found");

    await page.goto(base);
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.getByLabel("Choose photos").setInputFiles(await drawPhotos(page));
    assert.equal(await page.getByRole("progressbar").count(), 3, "one progress bar per file");
    await page.getByText("Uploaded", { exact: true }).nth(2).waitFor();
    assert.equal(await page.getByText("Uploaded", { exact: true }).count(), 3);
    await checkPage(page, "upload");

    await page.getByRole("link", { name: "Photos", exact: true }).click();
    assert.equal(await waitForLoadedImages(page, "Photos", 3), 3, "three thumbnails loaded");
    await checkPage(page, "gallery");
    page.assertClean();
  }),
);

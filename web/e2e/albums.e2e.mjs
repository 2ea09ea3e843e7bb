// The whole way through the browser, as a new member would go: sign up,
// upload three photos, make an album of them, order it, share it by link,
// open the link in a browser that never signed in, revoke it, and see the
// link stop working. Every album page on the way is scanned.
import assert from "node:assert/strict";
import { test } from "node:test";
import { base, checkPage, drawPhotos, signUp, waitForLoadedImages, watchedPage, withBrowser } from "./harness.mjs";

/** The photo ids of the grid labelled "Photos", in the order shown. */
function gridOrder(page) {
  return page.locator('ul[aria-label="Photos"] a[data-photo-id]').evaluateAll((links) => links.map((link) => link.dataset.photoId));
}

test("sign up, upload, make an album, share it by link, revoke the link", { timeout: 300_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    await signUp(page, { name: "Album Maker" });

    // Three photos, each with its progress bar, and their thumbnails.
    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.getByLabel("Choose photos").setInputFiles(await drawPhotos(page));
    assert.equal(await page.getByRole("progressbar").count(), 3, "one progress bar per file");
    await page.getByText("Uploaded", { exact: true }).nth(2).waitFor();
    await page.getByRole("link", { name: "Photos", exact: true }).click();
    assert.equal(await waitForLoadedImages(page, "Photos", 3), 3, "three thumbnails loaded");
    const newestFirst = await gridOrder(page);
    assert.equal(newestFirst.length, 3);

    // A new album, from the albums page.
    await page.getByRole("link", { name: "Albums", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Albums" }).waitFor();
    await page.getByText("You have no albums yet.").waitFor();
    await page.getByRole("button", { name: "New album" }).click();
    await page.getByLabel("Title").fill("Lake day");
    await page.getByLabel(/Description/).fill("Our walk round the lake.");
    await page.getByRole("button", { name: "Create album" }).click();
    await page.getByRole("heading", { level: 1, name: "Lake day" }).waitFor();
    await page.getByText("This album is empty.").waitFor();
    const albumPath = new URL(page.url()).pathname;
    assert.match(albumPath, /^\/albums\/[0-9a-f-]{36}$/);

    // Fill it from the gallery.
    await page.getByRole("button", { name: "Add photos" }).click();
    const picker = page.getByRole("list", { name: "Your photos" });
    await picker.getByRole("checkbox").nth(2).waitFor();
    for (const box of await picker.getByRole("checkbox").all()) {
      await box.check();
    }
    await page.getByRole("button", { name: "Add 3 photos" }).click();
    await page.getByText("Added 3 photos.").waitFor();
    await page.getByText(/^3 photos/).waitFor();
    assert.equal(await waitForLoadedImages(page, "Photos", 3), 3, "the album shows its three photos");
    const added = await gridOrder(page);
    assert.deepEqual([...added].sort(), [...newestFirst].sort());

    // Order it by keyboard: the last photo moves to the front (so it is the
    // cover by default), then the one after it is chosen as the cover.
    await page.getByRole("button", { name: "Organise" }).click();
    const ordered = page.getByRole("list", { name: "Photos in album order" });
    await ordered.getByRole("listitem").nth(2).waitFor();
    const earlier = ordered.getByRole("button", { name: /^Move earlier:/ }).nth(2);
    await earlier.focus();
    await page.keyboard.press("Enter");
    await page.getByText(/is now number 2 of 3\./).waitFor();
    await page.keyboard.press("Enter");
    await page.getByText(/is now number 1 of 3\./).waitFor();
    await ordered.getByRole("button", { name: /^Make cover:/ }).first().click();
    await page.getByText(/is the album's cover\./).waitFor();
    await page.getByRole("button", { name: "Done organising" }).click();
    await waitForLoadedImages(page, "Photos", 3);
    const reordered = [added[2], added[0], added[1]];
    assert.deepEqual(await gridOrder(page), reordered, "the album shows the new order");
    await page.reload();
    await waitForLoadedImages(page, "Photos", 3);
    assert.deepEqual(await gridOrder(page), reordered, "the order was saved");

    // Share it: links need the album visible to anyone with a link.
    await page.getByRole("button", { name: "Share" }).click();
    await page.getByText("No share links yet.").waitFor();
    await page.getByRole("button", { name: "Allow sharing by link" }).click();
    await page.getByText(/Visible to: anyone with a link/).waitFor();
    await page.getByRole("button", { name: "Create share link" }).click();
    const shown = page.getByRole("textbox", { name: "Share link" });
    await shown.waitFor();
    const url = new URL(await shown.inputValue());
    assert.match(url.pathname, /^\/shared\/[^/]+$/, `a share link: ${url.href}`);
    await page.getByRole("list", { name: "Share links" }).getByText("Works").waitFor();
    await checkPage(page, "album");

    // A browser that never signed in opens the link.
    const visitor = await watchedPage(browser);
    await visitor.goto(`${base}${url.pathname}`);
    await visitor.getByRole("heading", { level: 1, name: "Lake day" }).waitFor();
    await visitor.getByText("Our walk round the lake.").waitFor();
    await visitor.getByRole("link", { name: "Sign in" }).waitFor();
    assert.equal(await waitForLoadedImages(visitor, "Photos", 3), 3, "the visitor sees the three photos");
    assert.deepEqual(await gridOrder(visitor), reordered, "in the album's order");
    assert.equal(await visitor.getByRole("link", { name: "Albums", exact: true }).count(), 0, "no member navigation");

    // The owner revokes it; the visitor's next look finds it dead.
    await page.getByRole("button", { name: "I have saved it" }).click();
    await page.getByRole("button", { name: "Revoke link 1" }).click();
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await page.getByText("The link is revoked.").waitFor();
    await page.getByRole("list", { name: "Share links" }).locator(".badge", { hasText: "Revoked" }).waitFor();
    await visitor.reload();
    await visitor.getByRole("heading", { level: 1, name: "This link no longer works" }).waitFor();
    const api = await visitor.evaluate(async (path) => (await fetch(`/api/v1${path}/photos`)).status, url.pathname);
    assert.equal(api, 404, "the API refuses the revoked link too");
    visitor.assertClean();

    // The albums page now shows the album with its cover.
    await page.getByRole("link", { name: "Albums", exact: true }).click();
    const card = page.getByRole("list", { name: "Your albums" }).getByRole("link", { name: /Lake day/ });
    await card.waitFor();
    assert.equal(await card.getAttribute("href"), albumPath);
    assert.equal(await card.locator("img").getAttribute("src"), `/api/v1/photos/${reordered[1]}/thumbnail`);
    await checkPage(page, "albums");
    page.assertClean();
  }),
);

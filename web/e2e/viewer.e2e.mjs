// The photo viewer in its three contexts (gallery, album, share link), and
// the shared album a visitor without an account sees, against a real server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { base, checkPage, drawPhotos, signUp, waitForLoadedImages, watchedPage, withBrowser } from "./harness.mjs";

/** Calls the API from the page, as the signed-in member, with the CSRF token. */
async function callApi(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch("/api/v1/auth/session")).json();
      const response = await fetch(path, {
        method,
        headers: { "content-type": "application/json", "x-csrf-token": session.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: response.status === 204 ? null : await response.json() };
    },
    { method, path, body },
  );
}

/** Waits until the viewer's preview has loaded (the viewer retries while the worker makes it). */
async function waitForPreview(page, timeout = 60_000) {
  await page.waitForFunction(
    () => {
      const preview = document.querySelector("img.preview");
      return preview !== null && preview.complete && preview.naturalWidth > 0;
    },
    null,
    { timeout },
  );
}

test("view, step through, caption, share and delete photos", { timeout: 240_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    await signUp(page);
    await page.goto(`${base}/upload`);
    await page.getByLabel("Choose photos").setInputFiles(await drawPhotos(page, 3));
    await page.getByText("Uploaded", { exact: true }).nth(2).waitFor();
    await page.goto(base);
    await waitForLoadedImages(page, "Photos", 3);

    // Gallery → viewer, and around with the keyboard.
    const thumbnails = page.locator('ul[aria-label="Photos"] a');
    const ids = await thumbnails.evaluateAll((links) => links.map((link) => link.dataset.photoId));
    await thumbnails.first().click();
    await page.waitForURL(`${base}/photos/${ids[0]}`);
    await page.getByText("Photo 1 of 3").waitFor();
    await waitForPreview(page);
    await checkPage(page, "photo");
    assert.equal(
      await page.getByRole("link", { name: "Download original" }).getAttribute("href"),
      `/api/v1/photos/${ids[0]}/original?download=true`,
    );
    await page.keyboard.press("ArrowRight");
    await page.waitForURL(`${base}/photos/${ids[1]}`);
    await page.getByText("Photo 2 of 3").waitFor();
    await page.getByRole("link", { name: "Next →" }).click();
    await page.waitForURL(`${base}/photos/${ids[2]}`);
    await page.getByText("Photo 3 of 3").waitFor();
    await page.keyboard.press("ArrowLeft");
    await page.waitForURL(`${base}/photos/${ids[1]}`);

    // The owner captions it.
    await page.getByRole("button", { name: "Add a caption" }).click();
    await page.getByLabel("Caption").fill("Gradient number two");
    await page.getByRole("button", { name: "Save caption" }).click();
    await page.getByRole("heading", { level: 1, name: "Gradient number two" }).waitFor();
    await page.getByText("Caption saved.").waitFor();

    await page.keyboard.press("Escape");
    await page.waitForURL(`${base}/`);
    await page.getByRole("link", { name: "Gradient number two" }).waitFor();
    // The grid focuses the photo just seen once it is there (a timer after
    // the shell's own focus): wait for that, up to the usual 30 s.
    await page.waitForFunction((id) => document.activeElement?.getAttribute("data-photo-id") === id, ids[1], { timeout: 30_000 });

    // An album, shared by link.
    const created = await callApi(page, "POST", "/api/v1/albums", { title: "Gradients", description: "Three of them.", visibility: "link" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const albumId = created.body.id;
    assert.equal((await callApi(page, "POST", `/api/v1/albums/${albumId}/photos`, { photo_ids: ids })).status, 200);
    await page.goto(`${base}/albums/${albumId}/photos/${ids[0]}`);
    await page.getByText("Photo 1 of 3").waitFor();
    await waitForPreview(page);
    await checkPage(page, "album-photo");
    const link = await callApi(page, "POST", `/api/v1/albums/${albumId}/links`, {});
    assert.equal(link.status, 201, JSON.stringify(link.body));

    const visitor = await watchedPage(browser);
    await visitor.goto(`${base}/shared/${link.body.token}`);
    await visitor.getByRole("heading", { level: 1, name: "Gradients" }).waitFor();
    await visitor.getByText("Three of them.").waitFor();
    await visitor.getByRole("link", { name: "Sign in" }).waitFor();
    await waitForLoadedImages(visitor, "Photos", 3);
    await checkPage(visitor, "shared");
    await visitor.getByRole("link", { name: "Gradient number two" }).click();
    await visitor.waitForURL(`${base}/shared/${link.body.token}/photos/${ids[1]}`);
    await visitor.getByText("Photo 2 of 3").waitFor();
    await waitForPreview(visitor);
    const download = await visitor.getByRole("link", { name: "Download original" }).getAttribute("href");
    assert.equal(download, `/api/v1/shared/${link.body.token}/photos/${ids[1]}/original?download=true`);
    const original = await visitor.evaluate(async (url) => (await fetch(url)).status, download);
    assert.equal(original, 200, "a visitor gets the (location-free) original");
    await checkPage(visitor, "shared-photo");
    await visitor.keyboard.press("Escape");
    await visitor.waitForURL(`${base}/shared/${link.body.token}`);

    // Revoked: the visitor is told kindly.
    assert.equal((await callApi(page, "DELETE", `/api/v1/albums/${albumId}/links/${link.body.link.id}`)).status, 204);
    await visitor.reload();
    await visitor.getByRole("heading", { level: 1, name: "This link no longer works" }).waitFor();
    await visitor.goto(`${base}/shared/${link.body.token}/photos/${ids[1]}`);
    await visitor.getByRole("heading", { level: 1, name: "This link no longer works" }).waitFor();
    visitor.assertClean();

    // Deleting, confirmed, goes on to the next photo.
    await page.goto(`${base}/photos/${ids[1]}`);
    await page.getByText("Photo 2 of 3").waitFor();
    await page.getByRole("button", { name: "Delete photo" }).click();
    await page.getByRole("dialog", { name: "Delete this photo?" }).getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(`${base}/photos/${ids[2]}`);
    await page.getByText("Photo 2 of 2").waitFor();
    const gone = await page.evaluate(async (id) => (await fetch(`/api/v1/photos/${id}`)).status, ids[1]);
    assert.equal(gone, 404);
    page.assertClean();
  }),
);

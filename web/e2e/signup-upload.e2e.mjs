// End to end, in Debian's Chromium driven by playwright-core, against a real
// `shoebox serve --with-worker` and PostgreSQL that `cargo xtask e2e` starts:
// sign up, upload three photos (progress shown), thumbnails appear.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";

const base = process.env.SHOEBOX_E2E_URL;
const executablePath = process.env.SHOEBOX_E2E_CHROMIUM ?? "/usr/bin/chromium";
const screenshots = process.env.SHOEBOX_E2E_SCREENSHOTS ?? "e2e-screenshots";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Three distinct PNG photos, drawn by the browser's own canvas. */
async function drawPhotos(page) {
  const urls = await page.evaluate(() =>
    ["#b5651d", "#1d6fb5", "#3a9d4b"].map((colour, index) => {
      const canvas = document.createElement("canvas");
      canvas.width = 640;
      canvas.height = 480;
      const context = canvas.getContext("2d");
      const gradient = context.createLinearGradient(0, 0, 640, 480);
      gradient.addColorStop(0, colour);
      gradient.addColorStop(1, "#ffffff");
      context.fillStyle = gradient;
      context.fillRect(0, 0, 640, 480);
      context.fillStyle = "#000000";
      context.font = "64px sans-serif";
      context.fillText(`photo ${index + 1}`, 40, 120);
      return canvas.toDataURL("image/png");
    }),
  );
  return urls.map((url, index) => ({
    name: `photo-${index + 1}.png`,
    mimeType: "image/png",
    buffer: Buffer.from(url.slice(url.indexOf(",") + 1), "base64"),
  }));
}

/** Thumbnails that have actually loaded (the worker makes them after the upload). */
function loadedThumbnails(page) {
  return page.evaluate(
    () =>
      Array.from(document.querySelectorAll('ul[aria-label="Photos"] img')).filter(
        (image) => image.complete && image.naturalWidth > 0,
      ).length,
  );
}

test("sign up, upload three photos, see their thumbnails", { timeout: 120_000 }, async () => {
  assert.ok(base, "SHOEBOX_E2E_URL names the server under test");
  mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const foreignRequests = [];
    const policyViolations = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith("http") && url.origin !== new URL(base).origin) {
        foreignRequests.push(url.href);
      }
    });
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) {
        policyViolations.push(message.text());
      }
    });
    page.on("pageerror", (error) => {
      policyViolations.push(String(error));
    });

    await page.goto(`${base}/sign-up`);
    await page.getByLabel("Display name").fill("E2E Tester");
    await page.getByLabel("Email").fill(`e2e-${Date.now()}@example.org`);
    await page.getByLabel("Password").fill("correct horse battery staple e2e 2026");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("No photos yet").waitFor();
    await page.screenshot({ path: join(screenshots, "gallery-empty.png"), fullPage: true });

    await page.getByRole("link", { name: "Upload", exact: true }).click();
    await page.getByLabel("Choose photos").setInputFiles(await drawPhotos(page));
    assert.equal(await page.getByRole("progressbar").count(), 3, "one progress bar per file");
    await page.getByText("Uploaded", { exact: true }).nth(2).waitFor();
    assert.equal(await page.getByText("Uploaded", { exact: true }).count(), 3);
    await page.screenshot({ path: join(screenshots, "upload.png"), fullPage: true });

    await page.getByRole("link", { name: "Photos", exact: true }).click();
    const deadline = Date.now() + 60_000;
    let loaded = 0;
    for (;;) {
      await page.locator('ul[aria-label="Photos"] img').nth(2).waitFor();
      await page.waitForLoadState("networkidle");
      loaded = await loadedThumbnails(page);
      if (loaded === 3 || Date.now() > deadline) {
        break;
      }
      // Thumbnails are made by the worker: look again until they exist.
      await page.reload();
    }
    await page.screenshot({ path: join(screenshots, "gallery.png"), fullPage: true });
    assert.equal(loaded, 3, "three thumbnails loaded");
    assert.deepEqual(foreignRequests, [], "no request leaves the app's origin");
    assert.deepEqual(policyViolations, [], "no CSP violation or page error");
  } finally {
    await browser.close();
  }
});

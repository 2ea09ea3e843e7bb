// What every end-to-end test shares: Debian's Chromium driven by
// playwright-core, pages watched for requests to foreign hosts, CSP
// violations and script errors, an axe-core scan plus screenshots of each
// page in both themes, and sign-up / sign-in through the real forms.
//
// `cargo xtask e2e` (and `cargo xtask test`) start a real `shoebox serve
// --with-worker` on PostgreSQL, seed its demo members, and run every
// `e2e/*.e2e.mjs` with:
//   SHOEBOX_E2E_URL          the app's origin (required)
//   SHOEBOX_E2E_CHROMIUM     the browser (default /usr/bin/chromium)
//   SHOEBOX_E2E_SCREENSHOTS  where screenshots go (default e2e-screenshots)
//   SHOEBOX_E2E_ADMIN_EMAIL / SHOEBOX_E2E_ADMIN_PASSWORD
//                            the seeded admin (default: `shoebox seed`'s)
//   SHOEBOX_E2E_MAIL_DIR     the development mailer's folder of `.eml` files
// Against a Vite dev server in front of a seeded shoebox, run one file with
//   SHOEBOX_E2E_URL=http://127.0.0.1:5173 node --test e2e/albums.e2e.mjs
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const base = process.env.SHOEBOX_E2E_URL;
const executablePath = process.env.SHOEBOX_E2E_CHROMIUM ?? "/usr/bin/chromium";
export const screenshots = process.env.SHOEBOX_E2E_SCREENSHOTS ?? "e2e-screenshots";
export const admin = {
  email: process.env.SHOEBOX_E2E_ADMIN_EMAIL ?? "admin@example.org",
  password: process.env.SHOEBOX_E2E_ADMIN_PASSWORD ?? "shoebox-demo-password",
};
export const PASSWORD = "correct horse battery staple e2e 2026";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Violations of these impacts fail a scan (issue 4: none serious or critical). */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let unique = 0;
/** An address no earlier run of the suite has used. */
export function uniqueEmail(label) {
  unique += 1;
  return `e2e-${label}-${Date.now().toString(36)}-${process.pid}-${unique}@example.org`;
}

/** Launches Chromium; pass the result to `withBrowser` rather than closing it yourself. */
export async function withBrowser(body) {
  assert.ok(base, "SHOEBOX_E2E_URL names the server under test");
  mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    return await body(browser);
  } finally {
    await browser.close();
  }
}

/**
 * A page in a new browser context (its own cookies), watched from its first
 * request: `assertClean()` fails on any request to another origin, any CSP
 * violation and any uncaught script error seen so far.
 */
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  const origin = new URL(base).origin;
  const foreign = [];
  const problems = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith("http") && url.origin !== origin) {
      foreign.push(url.href);
    }
  });
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) {
      problems.push(message.text());
    }
  });
  page.on("pageerror", (error) => {
    problems.push(String(error));
  });
  page.assertClean = () => {
    assert.deepEqual(foreign, [], "no request leaves the app's origin");
    assert.deepEqual(problems, [], "no CSP violation or script error");
  };
  return page;
}

/**
 * Checks the page as it stands, under `name` (one name per route; the xtask
 * checks that every route of `src/router.ts` was checked): an axe-core scan
 * in the light and the dark theme with no serious or critical violation, a
 * screenshot of each, and one at phone size.
 */
export async function checkPage(page, name) {
  await page.waitForLoadState("networkidle");
  const viewport = page.viewportSize();
  const failures = [];
  for (const colorScheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme });
    failures.push(...(await scan(page)).map((violation) => `${colorScheme}: ${violation}`));
    await page.screenshot({ path: join(screenshots, `${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 390, height: 844 });
  failures.push(...(await scan(page)).map((violation) => `phone: ${violation}`));
  await page.screenshot({ path: join(screenshots, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(viewport);
  assert.deepEqual(failures, [], `axe-core finds no serious or critical violation on ${name}`);
}

/** The page's serious and critical axe-core violations, one line each. */
export async function scan(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not
  // govern; nothing is injected into the document.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  });
  return violations
    .filter((violation) => FAILING_IMPACTS.has(violation.impact))
    .map((violation) => `${violation.impact} ${violation.id} (${violation.help}) at ${violation.targets.join(", ")}`);
}

/** The development mailer's folder: every message is an `.eml` file there. */
export const mailDir = process.env.SHOEBOX_E2E_MAIL_DIR;

/**
 * The text of the newest message to `email` whose headers match `subject`
 * (a RegExp), waiting up to 30 s for it; quoted-printable undone.
 */
export async function messageTo(email, subject) {
  assert.ok(mailDir, "SHOEBOX_E2E_MAIL_DIR names the development mailer's folder");
  const deadline = Date.now() + 30_000;
  for (;;) {
    const files = (await readdir(mailDir).catch(() => [])).filter((name) => name.endsWith(".eml")).sort();
    for (const file of files.reverse()) {
      // Quoted-printable: undo soft line breaks and `=3D`.
      const text = (await readFile(join(mailDir, file), "utf8")).replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      if (text.includes(`To: ${email}`) && subject.test(text)) {
        return text;
      }
    }
    assert.ok(Date.now() < deadline, `a message to ${email} matching ${subject} arrives in ${mailDir}`);
    // A polling interval, not synchronisation: the condition is the file.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first `{base}{path}?token=…` link in a message. */
export function linkIn(message, path) {
  const link = message.match(new RegExp(`(https?://[^\\s"<>]+${path}\\?token=[A-Za-z0-9_-]+)`))?.[1];
  assert.ok(link, `the message holds a ${path} link`);
  assert.ok(link.startsWith(`${base}${path}?token=`), `the link uses the public URL: ${link}`);
  return link;
}

/** Signs up through the form; ends on the (empty) gallery. */
export async function signUp(page, { name = "E2E Tester", email = uniqueEmail("member"), password = PASSWORD } = {}) {
  await page.goto(`${base}/sign-up`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
  return { name, email, password };
}

/** Signs in through the form; ends on the gallery. */
export async function signIn(page, { email, password }) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
}

/** Three distinct PNG photos, drawn by the browser's own canvas. */
export async function drawPhotos(page, count = 3) {
  const urls = await page.evaluate((count) => {
    const colours = ["#b5651d", "#1d6fb5", "#3a9d4b", "#8e44ad", "#c0392b", "#16a085"];
    return Array.from({ length: count }, (_, index) => {
      const canvas = document.createElement("canvas");
      canvas.width = 640;
      canvas.height = 480;
      const context = canvas.getContext("2d");
      const gradient = context.createLinearGradient(0, 0, 640, 480);
      gradient.addColorStop(0, colours[index % colours.length]);
      gradient.addColorStop(1, "#ffffff");
      context.fillStyle = gradient;
      context.fillRect(0, 0, 640, 480);
      context.fillStyle = "#000000";
      context.font = "64px sans-serif";
      context.fillText(`photo ${index + 1}`, 40, 120);
      return canvas.toDataURL("image/png");
    });
  }, count);
  return urls.map((url, index) => ({
    name: `photo-${index + 1}.png`,
    mimeType: "image/png",
    buffer: Buffer.from(url.slice(url.indexOf(",") + 1), "base64"),
  }));
}

/**
 * Waits until `count` images in the list labelled `label` have loaded,
 * reloading while the worker is still making them; fails after `timeout`.
 */
export async function waitForLoadedImages(page, label, count, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const list = page.locator(`ul[aria-label="${label}"] img`);
    await list.nth(count - 1).waitFor();
    await page.waitForLoadState("networkidle");
    const loaded = await list.evaluateAll(
      (images) => images.filter((image) => image.complete && image.naturalWidth > 0).length,
    );
    if (loaded >= count) {
      return loaded;
    }
    assert.ok(Date.now() < deadline, `only ${loaded} of ${count} images loaded in ${label}`);
    await page.reload();
  }
}

// Issue 4's budgets, measured as a browser meets them: the JavaScript a first
// visit loads is at most 150 kB as it travels (gzip, which the server sends),
// and no page asks any host but the app's own (every test's `assertClean`,
// from each page's first request to its last).
import assert from "node:assert/strict";
import { test } from "node:test";
import { base, watchedPage, withBrowser } from "./harness.mjs";

const INITIAL_JAVASCRIPT_BUDGET = 150_000;

test("a first visit loads at most 150 kB of gzipped JavaScript", { timeout: 60_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    const scripts = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") {
        scripts.push(response);
      }
    });
    await page.goto(base);
    await page.waitForLoadState("networkidle");
    assert.ok(scripts.length > 0, "the app loads its scripts");

    let transferred = 0;
    for (const response of scripts) {
      const headers = await response.allHeaders();
      assert.equal(headers["content-encoding"], "gzip", `${response.url()} travels gzipped`);
      const sizes = await response.request().sizes();
      transferred += sizes.responseBodySize;
      // What travelled is the script: it decodes, and the browser ran it.
      assert.ok((await response.body()).length > sizes.responseBodySize, response.url());
    }
    console.log(`initial JavaScript: ${scripts.length} files, ${transferred} bytes gzipped`);
    assert.ok(
      transferred <= INITIAL_JAVASCRIPT_BUDGET,
      `initial JavaScript is ${transferred} bytes gzipped, over the ${INITIAL_JAVASCRIPT_BUDGET} budget`,
    );
    page.assertClean();
  }),
);

// The checks the other tests rely on, shown to catch what they are for.
import assert from "node:assert/strict";
import { test } from "node:test";
import { scan, withBrowser } from "./harness.mjs";

test("the accessibility scan reports serious and critical violations", { timeout: 30_000 }, () =>
  withBrowser(async (browser) => {
    const page = await browser.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><title>t</title><main><h1>Broken</h1>' +
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
        '<button></button><input type="text"></main></html>',
    );
    const violations = await scan(page);
    for (const rule of ["image-alt", "button-name", "label"]) {
      assert.ok(
        violations.some((violation) => violation.includes(` ${rule} `)),
        `${rule} is reported: ${violations.join("; ")}`,
      );
    }

    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><h1>Fine</h1><p>Hello</p></main></html>');
    assert.deepEqual(await scan(page), []);
  }),
);

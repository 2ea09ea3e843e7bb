// Proving an address by mail against the real server, whose development
// mailer writes each message as an `.eml` file into SHOEBOX_E2E_MAIL_DIR: a
// new member sees the banner, follows the verification link, and later
// changes their address through a link mailed to the new one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PASSWORD, checkPage, linkIn, messageTo, signIn, signUp, uniqueEmail, watchedPage, withBrowser, base } from "./harness.mjs";

test("a new member confirms their address, then moves to a new one", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    const account = await signUp(page, { name: "Verifying Tester" });
    const banner = page.getByRole("region", { name: "Confirm your email address" });
    await banner.waitFor();
    assert.match(await banner.innerText(), new RegExp(`We sent a link to ${account.email.replace(/[.+]/g, "\\$&")}`));

    const message = await messageTo(account.email, /Subject: Confirm your email address for /);
    const link = linkIn(message, "/verify-email");
    await page.goto(link);
    await page.getByRole("status").filter({ hasText: `${account.email} is confirmed.` }).waitFor();
    await checkPage(page, "verify-email");
    assert.equal(await banner.count(), 0, "the banner is gone once confirmed");

    // The link works once.
    const again = await watchedPage(browser);
    await again.goto(link);
    await again.getByText(/used or expired/).waitFor();

    // A new address takes effect only through the link mailed to it.
    const newEmail = uniqueEmail("moved");
    await page.getByRole("link", { name: "Settings" }).first().click();
    const panel = page.getByRole("region", { name: "Email address" });
    await panel.getByLabel("New email address").fill(newEmail);
    await panel.getByLabel("Current password").fill(PASSWORD);
    await panel.getByRole("button", { name: "Change email address" }).click();
    await panel.getByRole("status").filter({ hasText: `We sent a link to ${newEmail}` }).waitFor();
    assert.match(await panel.innerText(), new RegExp(account.email.replace(/[.+]/g, "\\$&")), "the address is unchanged until then");

    const change = await messageTo(newEmail, /Subject: Confirm your new email address for /);
    await page.goto(linkIn(change, "/verify-email"));
    await page.getByRole("status").filter({ hasText: `${newEmail} is confirmed.` }).waitFor();
    const notice = await messageTo(account.email, /Subject: Your .+ email address was changed/);
    assert.ok(notice.includes(newEmail), "the old address hears of the new one");

    const other = await watchedPage(browser);
    await signIn(other, { email: newEmail, password: PASSWORD });
    await other.goto(`${base}/settings`);
    await other.getByRole("region", { name: "Email address" }).getByText(`${newEmail} (confirmed).`, { exact: false }).waitFor();
    page.assertClean();
    other.assertClean();
  }),
);

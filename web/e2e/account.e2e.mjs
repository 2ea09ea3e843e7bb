// Profile, settings and the admin pages against the real server: a new
// member edits their profile, creates and revokes an API token, changes their
// password; the seeded admin invites someone, is warned and refused when
// disabling themselves, and looks at the job queue. Every page is scanned.
import assert from "node:assert/strict";
import { test } from "node:test";
import { admin, checkPage, PASSWORD, signIn, signUp, watchedPage, withBrowser } from "./harness.mjs";

test("a member edits their profile, manages a token and changes their password", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    const account = await signUp(page, { name: "Profile Tester" });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile", exact: true }).click();
    await page.getByRole("heading", { name: "Profile", level: 1 }).waitFor();
    assert.equal(await page.getByLabel("Display name").inputValue(), "Profile Tester");
    await page.getByText(/Your photos use 0 bytes/).waitFor();
    await page.getByLabel("Display name").fill("Renamed Tester");
    await page.getByLabel(/Full name/).fill("Renée Tester");
    await page.getByLabel(/About you/).fill("Takes pictures of tests.");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").filter({ hasText: "Profile saved." }).waitFor();
    await checkPage(page, "profile");
    await page.reload();
    assert.equal(await page.getByLabel("Display name").inputValue(), "Renamed Tester");
    assert.equal(await page.getByLabel(/Full name/).inputValue(), "Renée Tester");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await page.getByRole("list", { name: "Sessions" }).getByText("This browser").waitFor();
    await page.getByText(/No tokens yet/).waitFor();

    await page.getByLabel("Token name").fill("e2e script");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.getByLabel("Your new token").inputValue();
    assert.ok(secret.length > 20, "the secret is shown");
    const me = await page.evaluate(
      (token) => fetch("/api/v1/me", { headers: { Authorization: `Bearer ${token}` }, credentials: "omit" }).then((r) => r.json()),
      secret,
    );
    assert.equal(me.email, account.email, "the shown secret is a working token");
    await checkPage(page, "settings");
    await page.getByRole("button", { name: "I have saved it" }).click();
    assert.equal(await page.getByLabel("Your new token").count(), 0, "the secret is gone");

    await page.getByRole("button", { name: "Revoke token e2e script" }).click();
    await page.getByRole("button", { name: "Yes, revoke it" }).click();
    await page.getByText(/No tokens yet/).waitFor();

    // The Password panel's field (the Email address panel has one too).
    const passwordPanel = page.getByRole("region", { name: "Password", exact: true });
    await passwordPanel.getByLabel("Current password").fill(account.password);
    await page.getByLabel("New password", { exact: true }).fill(`${PASSWORD} new`);
    await page.getByLabel("Confirm new password").fill(`${PASSWORD} typo`);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("The two new passwords differ").waitFor();

    await passwordPanel.getByLabel("Current password").fill("not the password at all");
    await page.getByLabel("Confirm new password").fill(`${PASSWORD} new`);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("alert").waitFor();

    await passwordPanel.getByLabel("Current password").fill(account.password);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/Password changed\./).waitFor();

    // The new password works in a fresh browser.
    const other = await watchedPage(browser);
    await signIn(other, { email: account.email, password: `${PASSWORD} new` });
    other.assertClean();
    page.assertClean();
  }),
);

test("the admin invites someone, cannot disable themselves, and sees the jobs", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    await signIn(page, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    await page.getByRole("heading", { name: "Members", level: 1 }).waitFor();
    const self = page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: admin.email });
    await self.getByText("You", { exact: true }).waitFor();

    await page.getByLabel(/Email/).fill("invitee@example.org");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = await page.getByLabel("Invitation link").inputValue();
    assert.match(link, /^https?:\/\//, "an invitation link is shown");
    await page.getByRole("list", { name: "Invitations" }).getByText("invitee@example.org").first().waitFor();
    await checkPage(page, "admin-members");
    await page.getByRole("button", { name: "I have saved it" }).click();

    // Revoked invitations stay listed, with their status and no buttons.
    const revokeButtons = page.getByRole("button", { name: "Revoke the invitation for invitee@example.org" });
    const before = await revokeButtons.count();
    await revokeButtons.first().click();
    await page.getByRole("button", { name: "Yes, revoke it" }).click();
    await page.getByRole("list", { name: "Invitations" }).getByText(/^Revoked /).first().waitFor();
    assert.equal(await revokeButtons.count(), before - 1);

    await self.getByRole("button", { name: /^Disable/ }).click();
    await self.getByText(/This is your own account/).waitFor();
    await self.getByRole("button", { name: "Yes, disable" }).click();
    await self.getByRole("alert").waitFor();
    assert.equal(await self.getByText("Disabled", { exact: true }).count(), 0, "the admin is still enabled");

    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    await page.getByRole("button", { name: /^Succeeded \d+/ }).click();
    await page.getByRole("list", { name: "Succeeded jobs" }).getByRole("listitem").first().waitFor();
    await checkPage(page, "admin-jobs");
    await page.getByRole("button", { name: /^Failed/ }).click();
    await page.getByRole("heading", { name: "Failed jobs" }).waitFor();
    page.assertClean();
  }),
);

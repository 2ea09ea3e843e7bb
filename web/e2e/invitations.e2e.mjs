// Invitations by mail against the real server, whose development mailer
// writes each message as an `.eml` file into SHOEBOX_E2E_MAIL_DIR: the
// seeded admin invites an address from the Members page, the invitee reads
// the message, opens its link, accepts and lands signed in; the link then
// works no more.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PASSWORD, admin, checkPage, linkIn, messageTo, signIn, uniqueEmail, watchedPage, withBrowser } from "./harness.mjs";

test("an admin invites by email and the invitee accepts through the mailed link", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    await signIn(page, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    const form = page.getByRole("form", { name: "New invitation" });
    await form.waitFor();
    const email = uniqueEmail("invitee");
    await form.getByLabel(/Email/).fill(email);
    await form.getByRole("button", { name: "Create invitation" }).click();
    await page.getByText(`An invitation is on its way to ${email}.`).waitFor();
    const shown = await page.getByLabel("Invitation link").inputValue();
    await page.getByRole("button", { name: "I have saved it" }).click();
    await page.getByRole("list", { name: "Invitations" }).getByText(email).waitFor();
    page.assertClean();

    const message = await messageTo(email, /Subject: .+ invited you to /);
    const link = linkIn(message, "/invitation");
    assert.equal(link, shown, "the admin's copy is the mailed link");

    const invitee = await watchedPage(browser);
    await invitee.goto(link);
    await invitee.getByRole("heading", { name: "Accept your invitation", level: 1 }).waitFor();
    await invitee.getByRole("status").filter({ hasText: "invited you to join as a member" }).waitFor();
    await checkPage(invitee, "invitation");
    const field = invitee.getByLabel("Email");
    assert.equal(await field.inputValue(), email);
    assert.equal(await field.getAttribute("readonly"), "");
    await invitee.getByLabel("Display name").fill("Invited Tester");
    await invitee.getByLabel("Password").fill(PASSWORD);
    await invitee.getByRole("button", { name: "Create my account" }).click();
    await invitee.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
    invitee.assertClean();

    // Used: the same link now says so, in a fresh browser.
    const late = await watchedPage(browser);
    await late.goto(link);
    await late.getByRole("alert").filter({ hasText: "This invitation link does not work." }).waitFor();
    assert.equal(await late.getByRole("button", { name: "Create my account" }).count(), 0);
    late.assertClean();
  }),
);

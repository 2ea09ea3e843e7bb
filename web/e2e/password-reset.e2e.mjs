// Password reset by mail against the real server, whose development mailer
// writes each message as an `.eml` file into SHOEBOX_E2E_MAIL_DIR: a member
// forgets their password, asks for a link, reads the message, follows its
// link, chooses a new password and signs in with it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { base, checkPage, mailDir, messageTo, signIn, signUp, watchedPage, withBrowser } from "./harness.mjs";

test("a member who forgot their password resets it through the mailed link", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    assert.ok(mailDir, "SHOEBOX_E2E_MAIL_DIR names the development mailer's folder");
    const member = await watchedPage(browser);
    const account = await signUp(member, { name: "Forgetful Tester" });
    member.assertClean();

    const page = await watchedPage(browser);
    await page.goto(`${base}/sign-in`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?", level: 1 }).waitFor();
    await checkPage(page, "forgot-password");
    await page.getByLabel("Email").fill(account.email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByRole("status").filter({ hasText: "a link to choose a new password is on its way" }).waitFor();

    const message = await messageTo(account.email);
    assert.match(message, /Subject: Reset your .+ password/);
    const link = message.match(/(https?:\/\/[^\s"<>]+\/reset-password\?token=[A-Za-z0-9_-]+)/)?.[1];
    assert.ok(link, "the message holds a reset link");
    assert.ok(link.startsWith(`${base}/reset-password?token=`), `the link uses the public URL: ${link}`);

    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password", level: 1 }).waitFor();
    await checkPage(page, "reset-password");
    const newPassword = `${account.password} renewed`;
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Change the password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password was changed." }).waitFor();

    // The link works once.
    await page.goto(link);
    await page.getByLabel("New password").fill(`${newPassword} again`);
    await page.getByRole("button", { name: "Change the password" }).click();
    await page.getByText(/used or expired/).waitFor();

    await signIn(page, { email: account.email, password: newPassword });
    page.assertClean();
  }),
);

// Account deletion against the real server (SPEC §8): a member is refused
// with a wrong password, deletes their account with the right one and is
// signed out with the date; signing in again shows the banner, which cancels
// it. The seeded admin schedules and cancels one member's deletion and
// erases another at once. Every new page state is scanned.
import assert from "node:assert/strict";
import { test } from "node:test";
import { admin, checkPage, signIn, signUp, uniqueEmail, watchedPage, withBrowser } from "./harness.mjs";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the browser's own session answers for `/api/v1/me`: the status, and the user when signed in. */
function me(page) {
  return page.evaluate(async () => {
    const response = await fetch("/api/v1/me");
    return { status: response.status, user: response.ok ? await response.json() : null };
  });
}

/** A timestamp as the app shows it (`formatDate`), in the browser's locale and time zone. */
function shownDate(page, iso) {
  return page.evaluate(
    (value) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)),
    iso,
  );
}

function deletionRequest(response, path) {
  return response.request().method() === "DELETE" && new URL(response.url()).pathname === path;
}

test("a member deletes their account, signs in again and cancels the deletion", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const page = await watchedPage(browser);
    const account = await signUp(page, { name: "Deletion Tester" });
    const { grace_days: graceDays } = await page.evaluate(() => fetch("/api/v1/me/deletion").then((r) => r.json()));
    assert.ok(graceDays > 0, "the server under test keeps deleted accounts for a grace period");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings", exact: true }).click();
    const section = page.getByRole("region", { name: "Delete account" });
    await section.getByText(/The erasure happens on .+ from now/).waitFor();
    await section.getByText(/never brought back — restoring a backup erases your account again/).waitFor();

    await section.getByLabel("Your password").fill("not the password at all");
    await section.getByRole("checkbox", { name: /I understand that my account and everything in it will be erased on/ }).check();
    await section.getByRole("button", { name: "Delete my account" }).click();
    await section.getByRole("alert").filter({ hasText: "The password is incorrect. Nothing was changed" }).waitFor();
    await checkPage(page, "settings-delete-refused");
    assert.equal((await me(page)).user.deletion_due_at ?? null, null, "a wrong password changes nothing");

    await section.getByLabel("Your password").fill(account.password);
    const [answer] = await Promise.all([
      page.waitForResponse((response) => deletionRequest(response, "/api/v1/me")),
      section.getByRole("button", { name: "Delete my account" }).click(),
    ]);
    assert.equal(answer.status(), 202, "the deletion waits out the grace period");
    const dueAt = (await answer.json()).deletion_due_at;
    assert.ok(Math.abs(Date.parse(dueAt) - (Date.now() + graceDays * DAY_MS)) < 10 * 60_000, `due ${dueAt} in ${graceDays} days`);
    await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    const notice = page.getByRole("status").filter({ hasText: `Your account will be deleted on ${await shownDate(page, dueAt)}.` });
    await notice.getByText("Sign in again before then and cancel the deletion.").waitFor();
    assert.equal((await me(page)).status, 401, "the browser is signed out");
    await checkPage(page, "sign-in-deletion-scheduled");

    await signIn(page, account);
    const banner = page.getByRole("alert").filter({ hasText: `Your account is scheduled for deletion on ${await shownDate(page, dueAt)}.` });
    await banner.waitFor();
    await checkPage(page, "deletion-banner");
    await banner.getByRole("button", { name: "Cancel deletion" }).click();
    await page.getByRole("status").filter({ hasText: "Deletion cancelled. Your account stays." }).waitFor();
    await banner.waitFor({ state: "detached" });
    assert.equal((await me(page)).user.deletion_due_at ?? null, null, "the deletion is cancelled");
    await page.reload();
    await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
    assert.equal(await page.getByText(/scheduled for deletion/).count(), 0, "no banner after a reload");
    page.assertClean();
  }),
);

test("the admin schedules a member's deletion and cancels it, and erases another member now", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const scheduledPage = await watchedPage(browser);
    const scheduled = await signUp(scheduledPage, { name: "Scheduled Member", email: uniqueEmail("scheduled") });
    const erasedPage = await watchedPage(browser);
    const erased = await signUp(erasedPage, { name: "Erased Member", email: uniqueEmail("erased") });

    const page = await watchedPage(browser);
    await signIn(page, admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    await page.getByRole("heading", { name: "Members", level: 1 }).waitFor();
    const cards = page.getByRole("list", { name: "Members" }).getByRole("listitem");
    const self = cards.filter({ hasText: admin.email });
    await self.getByText("You", { exact: true }).waitFor();
    assert.equal(await self.getByRole("button", { name: /^Delete/ }).count(), 0, "the admin's own card offers no deletion");

    const first = cards.filter({ hasText: scheduled.email });
    await first.getByRole("button", { name: "Delete member: Scheduled Member" }).click();
    const question = first.getByRole("group", { name: `Delete Scheduled Member (${scheduled.email})?` });
    await question.getByRole("radio", { name: /^After the grace period/ }).waitFor();
    assert.ok(await question.getByRole("radio", { name: /^After the grace period/ }).isChecked(), "the grace period is the default");
    await checkPage(page, "admin-members-delete");
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === "DELETE" && response.url().includes("/api/v1/admin/users/")),
      question.getByRole("button", { name: "Yes, schedule the deletion of Scheduled Member" }).click(),
    ]);
    assert.equal(answer.status(), 202);
    const dueAt = (await answer.json()).deletion_due_at;
    await first.getByText(`Deletion scheduled for ${await shownDate(page, dueAt)}.`).waitFor();
    await page.getByRole("status").filter({ hasText: "The deletion of Scheduled Member" }).waitFor();
    assert.equal((await me(scheduledPage)).status, 401, "the member's sessions ended at once");
    await checkPage(page, "admin-members-deletion-scheduled");

    await first.getByRole("button", { name: "Cancel deletion of Scheduled Member" }).click();
    await page.getByRole("status").filter({ hasText: `The deletion of Scheduled Member (${scheduled.email}) was cancelled.` }).waitFor();
    assert.equal(await first.getByText(/Deletion scheduled/).count(), 0, "the card no longer shows a deletion");
    await signIn(scheduledPage, scheduled);
    assert.equal((await me(scheduledPage)).user.deletion_due_at ?? null, null, "the member stays");

    const second = cards.filter({ hasText: erased.email });
    await second.getByRole("button", { name: "Delete member: Erased Member" }).click();
    await second.getByRole("radio", { name: "Now (cannot be undone)" }).check();
    await second.getByRole("button", { name: "Yes, delete Erased Member now" }).click();
    await page.getByRole("status").filter({ hasText: `Erased Member (${erased.email}) was deleted.` }).waitFor();
    await second.waitFor({ state: "detached" });
    assert.equal((await me(erasedPage)).status, 401, "the erased member is signed out");
    await page.reload();
    await self.waitFor();
    assert.equal(await cards.filter({ hasText: erased.email }).count(), 0, "the erased member is gone for good");
    await first.waitFor();

    for (const other of [scheduledPage, erasedPage, page]) {
      other.assertClean();
    }
  }),
);

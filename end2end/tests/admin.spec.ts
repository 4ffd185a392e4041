import { test, expect, hydrated, invite, enroll, signIn, PASSPHRASE } from "./fixtures";

test("an admin manages groups, invitations and members from the admin page", async ({
  page,
  browser,
  problems,
}) => {
  // Two members derive their keys from passphrases (Argon2, in the browser):
  // about 20 s alone, past 30 s beside another worker on two cores.
  test.setTimeout(90_000);
  await enroll(page, invite("Fay Admin", "admin"));
  await page.goto("/account");
  await page.getByRole("link", { name: /Administration/ }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await hydrated(page);

  // A group, created and renamed while nobody has enrolled in it.
  await page.getByLabel("New group").fill("Civic Watch");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Group created." })).toBeVisible();
  await page.getByLabel("New name for Civic Watch").fill("Civic Watchers");
  await page.getByRole("row", { name: /Civic Watch/ }).getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("row", { name: /Civic Watchers/ })).toBeVisible();

  // An invitation: the link is shown once.
  const inviteForm = page.getByRole("form", { name: "Invite a member" });
  await inviteForm.getByLabel("Display name (public)").fill("Gil Newcomer");
  await inviteForm.getByLabel("Group").selectOption({ label: "Civic Watchers" });
  await inviteForm.getByLabel("Role").selectOption({ label: "clerk" });
  await page.getByRole("button", { name: "Create the invitation link" }).click();
  const link = page.locator("#invitation-url");
  await expect(link).toHaveValue(/\/invite\/[0-9a-f]{64}$/);
  const url = new URL(await link.inputValue());

  // Another one, revoked.
  await page.getByLabel("Display name (public)").fill("Hal Never");
  await page.getByRole("button", { name: "Create the invitation link" }).click();
  const never = page.getByRole("row", { name: /Hal Never/ });
  await expect(never).toHaveAttribute("data-state", "open");
  await never.getByRole("button", { name: "Revoke" }).click();
  await expect(never).toHaveAttribute("data-state", "revoked");

  // The invited member joins in their own browser.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await enroll(member, url.pathname);
  await member.goto("/account");
  await expect(member.locator("#signed-in-as")).toContainText("clerk in Civic Watchers");

  // The admin makes them chair, then suspends them; each change is logged
  // with its reason, and the suspension ends their sessions.
  await page.reload();
  await hydrated(page);
  const card = page.locator("article.member-card").filter({ hasText: "Gil Newcomer" });
  await card.getByLabel("Role", { exact: true }).selectOption({ label: "chair" });
  await card.getByLabel("Reason (published)").fill("elected chair by the plenary");
  await card.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Change recorded in the log." })).toBeVisible();
  await expect(page.locator("article.member-card").filter({ hasText: "Gil Newcomer" })).toContainText(
    "chair · active",
  );
  const again = page.locator("article.member-card").filter({ hasText: "Gil Newcomer" });
  await again.getByLabel("Status", { exact: true }).selectOption({ label: "suspended" });
  await again.getByLabel("Reason (published)").fill("conduct review");
  await again.getByRole("button", { name: "Apply" }).click();
  await expect(page.locator("article.member-card").filter({ hasText: "Gil Newcomer" })).toContainText(
    "chair · suspended",
  );
  await member.goto("/account");
  await expect(member.getByRole("heading", { name: "You are not signed in" })).toBeVisible();
  await memberContext.close();

  // The registry shows it to everyone.
  await page.goto("/members");
  await expect(page.getByRole("row", { name: /Gil Newcomer/ })).toContainText("suspended");
  expect(problems).toEqual([]);
});

test("a member who is not an admin is turned away from the admin page", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("alert")).toContainText("for the council's admins");
  await enroll(page, invite("Ida Plain"));
  await page.goto("/admin");
  await expect(page.getByRole("alert")).toContainText("Your role does not allow this.");
  await expect(page.getByRole("button", { name: "Create group" })).toHaveCount(0);
});

test("a member replaces their key and signs in with the new one", async ({ page, problems }) => {
  await enroll(page, invite("Jo Rotates"));
  await page.goto("/account");
  await hydrated(page);
  const before = await page.locator("#current-key").getAttribute("title");

  await page.getByLabel("Your passphrase").fill("not the right passphrase");
  await page.getByRole("button", { name: "Replace my key" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong passphrase" })).toBeVisible({
    timeout: 20_000,
  });

  await page.getByLabel("Your passphrase").fill(PASSPHRASE);
  await page.getByRole("button", { name: "Replace my key" }).click();
  await expect(page.locator("#rotated")).toContainText("Your key was replaced (log entry", {
    timeout: 20_000,
  });
  const after = await page.locator("#current-key").getAttribute("title");
  expect(after).not.toEqual(before);

  // Signed out, the new key (the one this browser now holds) signs in.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await signIn(page);
  await expect(page).toHaveURL(/\/account$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "Jo Rotates" })).toBeVisible();

  // The registry shows both keys: the old one ended where the new one began.
  await page.goto("/members");
  const row = page.getByRole("row", { name: /Jo Rotates/ });
  await expect(row.locator("li")).toHaveCount(2);
  await expect(row).toContainText("until entry");
  expect(problems).toEqual([]);
});

test("without JavaScript an admin creates a group, an invitation shown once, and is told what was refused", async ({
  page,
  browser,
}) => {
  await enroll(page, invite("Kai Plainadmin", "admin"));
  const cookies = await page.context().cookies();
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies(cookies);
  const plain = await context.newPage();
  await plain.goto("/admin");

  // A plain form post comes back to the page, which says what was done.
  await plain.getByLabel("New group").fill("Plain Watch");
  await plain.getByRole("button", { name: "Create group" }).click();
  await expect(plain).toHaveURL(/\/admin\?done=create_group$/);
  await expect(plain.getByRole("status").filter({ hasText: "Group created." })).toBeVisible();
  await expect(plain.getByRole("row", { name: /Plain Watch/ })).toBeVisible();

  // The same name again is refused, with the reason, and nothing changes.
  await plain.getByLabel("New group").fill("Plain Watch");
  await plain.getByRole("button", { name: "Create group" }).click();
  await expect(plain.getByRole("alert").filter({ hasText: /already exists/i })).toBeVisible();
  await expect(plain.getByRole("status").filter({ hasText: "Group created." })).toHaveCount(0);
  await expect(plain.getByRole("row", { name: /Plain Watch/ })).toHaveCount(1);

  // The invitation link is shown once, then never again.
  const inviteForm = plain.getByRole("form", { name: "Invite a member" });
  await inviteForm.getByLabel("Display name (public)").fill("Lou Plaininvite");
  await inviteForm.getByLabel("Group").selectOption({ label: "Plain Watch" });
  await plain.getByRole("button", { name: "Create the invitation link" }).click();
  await expect(plain.locator("#invitation-url")).toHaveValue(/\/invite\/[0-9a-f]{64}$/);
  expect(plain.url()).not.toContain("invite/");
  await expect(plain.getByRole("row", { name: /Lou Plaininvite/ })).toHaveAttribute("data-state", "open");
  await plain.reload();
  await expect(plain.locator("#invitation-url")).toHaveCount(0);
  await context.close();
});

import { test, expect, hydrated, invite, enroll, tribune } from "./fixtures";

// What an outside review found: saved text that breaks out of its editing
// field, and a stale tab's refused form post that showed nothing.

async function newCase(request: import("@playwright/test").APIRequestContext, key: string): Promise<string> {
  const token = tribune(["token", "create", "--name", `Hardening Platform ${key}`]);
  const created = await request.post("/api/v1/cases", {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": key },
    data: {
      kind: "content",
      subject_handle: `@${key}`,
      audience: 500,
      original_action: "removed",
      clauses: ["H-1"],
      reason: "Appeal.",
    },
  });
  expect(created.status()).toBe(201);
  return `/cases/${(await created.json()).id}`;
}

test("saved text that closes its <textarea> stays text in the field that edits it", async ({
  page,
  request,
  problems,
}) => {
  const caseUrl = await newCase(request, "hardening-textarea");
  await enroll(page, invite("Tess Clerk", "clerk"));
  await page.goto(caseUrl);
  await hydrated(page);
  const payload = 'Fine.</textarea><b id="injected">x</b><textarea>';
  await page.getByLabel("Add to the discussion (Markdown)").fill(payload);
  await page.getByRole("button", { name: "Post the comment" }).click();
  await expect(page.getByRole("listitem", { name: "Comment by Tess Clerk" })).toBeVisible();

  // The page that shows the comment back in its edit field, fresh from the server.
  await page.reload();
  await hydrated(page);
  await expect(page.locator("#injected")).toHaveCount(0);
  const mine = page.getByRole("listitem", { name: "Comment by Tess Clerk" });
  await mine.getByText("Edit", { exact: true }).click();
  await expect(mine.getByLabel("Your comment (the earlier version stays visible)")).toHaveValue(payload);
  expect(problems).toEqual([]);
});

test("a stale tab's form post refused by the server shows why, and a link cannot", async ({ page, request }) => {
  const caseUrl = await newCase(request, "hardening-stale-tab");
  await enroll(page, invite("Sam Clerk", "clerk"));
  await page.goto(caseUrl);
  await hydrated(page);
  // Signed out elsewhere (another tab): this tab still shows the form.
  expect((await page.request.post("/api/sign_out", { maxRedirects: 0 })).status()).toBeLessThan(400);
  await page.getByLabel("Add to the discussion (Markdown)").fill("Posted from a stale tab.");
  await page.getByRole("button", { name: "Post the comment" }).click();
  // Back on the case page, which no longer shows the discussion to this
  // reader: the refusal is shown at the top, not only in the address bar.
  await expect(page.locator("#page-refusal")).toBeVisible();
  await expect(page.locator("#page-refusal")).toHaveText("Please sign in first.");

  // The same address again, or a crafted one, shows nothing: the words
  // come from the server, never from the link.
  const crafted =
    `${caseUrl}?__path=/api/post_comment&__err=` +
    encodeURIComponent(JSON.stringify({ error: "conflict", message: "Official notice: call +1 555 0100" }));
  await page.goto(crafted);
  await expect(page.getByText("Official notice")).toHaveCount(0);
  await expect(page.locator("#page-refusal")).toHaveCount(0);
});

import { test, expect, hydrated, invite, enroll, tribune } from "./fixtures";

test("a clerk records a case and the chair takes it through its lifecycle", async ({
  page,
  browser,
  problems,
}) => {
  await enroll(page, invite("Kim Clerk", "clerk"));
  await page.goto("/cases");
  await page.getByRole("link", { name: "Record a new case" }).click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await hydrated(page);
  await page.getByLabel("Kind").selectOption("content");
  await page.getByLabel("Account (handle)").fill("@harbour_lifecycle");
  await page.getByLabel("Link (optional)").fill("https://social.example/p/77");
  await page.getByLabel("Excerpt (optional)").fill("The removed post's text.");
  await page.getByLabel("Audience (followers)").fill("2,500,000");
  await page.getByLabel("Platform's action").selectOption("removed");
  await page.getByLabel("Policy clauses (codes, separated by commas)").fill("NOPE-1");
  await page.getByLabel("Reason for escalation").fill("The author appealed the removal.");
  await page.getByRole("button", { name: "Record the case" }).click();
  // An unknown clause is named, and nothing is recorded.
  await expect(page.getByRole("alert").filter({ hasText: "NOPE-1" })).toBeVisible();
  await page.getByLabel("Policy clauses (codes, separated by commas)").fill("HS-2, H-1");
  await page.getByRole("button", { name: "Record the case" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  const caseUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("@harbour_lifecycle");
  await expect(page.locator("#case-status")).toContainText("Intake");
  await expect(page.locator("#case-status")).toContainText(/due in (6|7) days/);
  await expect(page.getByText("prominent (2500000 followers)")).toBeVisible();
  // The clerk accepts it; deliberation is for the chair.
  await hydrated(page);
  await page.getByRole("form", { name: "Accept the case" }).getByLabel("Reason (optional)").fill("In scope");
  await page.getByRole("button", { name: "Accept the case" }).click();
  await expect(page.locator("#case-status")).toContainText("Accepted");
  await expect(page.getByRole("button", { name: "Open deliberation" })).toHaveCount(0);

  const chairContext = await browser.newContext();
  const chair = await chairContext.newPage();
  await enroll(chair, invite("Lee Chair", "chair"));
  await chair.goto(caseUrl);
  await hydrated(chair);
  for (const [button, status] of [
    ["Open deliberation", "Deliberation"],
    ["Open voting", "Voting"],
    ["Record as decided", "Decided"],
    ["Publish", "Published"],
  ]) {
    await chair.getByRole("button", { name: button }).click();
    await expect(chair.locator("#case-status")).toContainText(status);
  }
  await expect(chair.locator(".history li")).toHaveCount(6);
  await expect(chair.locator(".history li").nth(1)).toContainText("Intake → Accepted · Kim Clerk: In scope");
  await expect(chair.getByRole("heading", { name: "Move the case" })).toHaveCount(0);
  await chairContext.close();

  // Declining needs a reason.
  await page.goto("/cases/new");
  await hydrated(page);
  await page.getByLabel("Account (handle)").fill("@harbour_declined");
  await page.getByLabel("Audience (followers)").fill("12");
  await page.getByLabel("Policy clauses (codes, separated by commas)").fill("V-1");
  await page.getByLabel("Reason for escalation").fill("Reported by a user.");
  await page.getByRole("button", { name: "Record the case" }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await hydrated(page);
  const decline = page.getByRole("form", { name: "Decline the case" });
  await decline.getByLabel("Reason (required)").fill("Out of the council's scope.");
  await decline.getByRole("button", { name: "Decline the case" }).click();
  await expect(page.locator("#case-status")).toContainText("Declined");
  await expect(page.locator(".history")).toContainText("Out of the council's scope.");

  // Both are in the list, filtered by clause.
  await page.goto("/cases?clause=HS-2");
  await expect(page.getByRole("row", { name: /@harbour_lifecycle/ })).toContainText("Published");
  await expect(page.getByRole("row", { name: /@harbour_declined/ })).toHaveCount(0);
  // The browser reports the refused submission (422); nothing else may go wrong.
  expect(problems.filter((p) => !p.includes("status of 422") || !p.endsWith("/api/create_case)"))).toEqual([]);
});

test("the platform escalates through the API, and a retry makes no second case", async ({
  page,
  request,
}) => {
  const token = tribune(["token", "create", "--name", "Harbour Platform"]);
  const escalation = {
    kind: "reinstatement",
    subject_handle: "@api_escalated",
    audience: 31000000,
    original_action: "account_banned",
    clauses: ["HS-2"],
    reason: "The account holder asks to come back.",
  };
  const headers = { authorization: `Bearer ${token}`, "idempotency-key": "harbour-9001" };
  const first = await request.post("/api/v1/cases", { headers, data: escalation });
  expect(first.status()).toBe(201);
  const created = await first.json();
  const retry = await request.post("/api/v1/cases", { headers, data: escalation });
  expect(retry.status()).toBe(200);
  expect((await retry.json()).id).toBe(created.id);
  const anonymous = await request.post("/api/v1/cases", { data: escalation });
  expect(anonymous.status()).toBe(401);

  await enroll(page, invite("Max Clerk", "clerk"));
  await page.goto("/cases?q=api_escalated");
  await expect(page.getByRole("row", { name: /@api_escalated/ })).toHaveCount(1);
  await page.getByRole("link", { name: `#${created.id}` }).click();
  await expect(page.locator(".history")).toContainText("the platform (Harbour Platform)");
  await expect(page.getByText("very_prominent (31000000 followers)")).toBeVisible();
});

test("cases are for members only", async ({ page }) => {
  await page.goto("/cases");
  await expect(page.getByRole("alert")).toContainText("Cases are for council members.");
  await page.goto("/cases/1");
  await expect(page.getByRole("alert")).toContainText("Cases are for council members.");
});

import { test, expect, hydrated, invite, enroll, tribune, PASSPHRASE } from "./fixtures";

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
  ]) {
    await chair.getByRole("button", { name: button }).click();
    // A busy 2-core machine can take a while for the round trip and re-render.
    await expect(chair.locator("#case-status")).toContainText(status, { timeout: 20_000 });
  }
  await expect(chair.locator(".history li")).toHaveCount(5);
  // Publication is the decision's, not a move (see voting.spec.ts).
  await expect(chair.getByRole("button", { name: "Publish", exact: true })).toHaveCount(0);
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
  await expect(page.getByRole("row", { name: /@harbour_lifecycle/ })).toContainText("Decided");
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

test("members discuss a case with replies and edits, scripts are neutralised, and a recusal is signed", async ({
  page,
  browser,
  request,
  problems,
}) => {
  const token = tribune(["token", "create", "--name", "Discussion Platform"]);
  const created = await request.post("/api/v1/cases", {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": "discussion-1" },
    data: {
      kind: "content",
      subject_handle: "@discussed",
      audience: 500,
      original_action: "removed",
      clauses: ["H-1"],
      reason: "Appeal.",
    },
  });
  expect(created.status()).toBe(201);
  const caseUrl = `/cases/${(await created.json()).id}`;

  await enroll(page, invite("Pat Clerk", "clerk"));
  await page.goto(caseUrl);
  await hydrated(page);
  await expect(page.getByText("No comment yet.")).toBeVisible();
  await page
    .getByLabel("Add to the discussion (Markdown)")
    .fill("**Bold** point <script>window.pwned = 1</script> [x](javascript:window.pwned=2)");
  await page.getByRole("button", { name: "Post the comment" }).click();
  const first = page.getByRole("listitem", { name: "Comment by Pat Clerk" });
  await expect(first.locator("strong", { hasText: "Bold" })).toBeVisible();
  await expect(first).toContainText("<script>window.pwned = 1</script>");
  await expect(page.locator('.comment-body a[href^="javascript"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await enroll(other, invite("Quinn Member"));
  // The dashboard says there is something new to read, and that the case
  // is waiting for any conflict to be declared.
  await other.goto("/dashboard");
  const caseId = caseUrl.split("/").pop();
  await expect(other.locator(`#unread li[data-case="${caseId}"]`)).toContainText("1 new comment");
  await expect(other.locator(`#deliberating li[data-case="${caseId}"]`)).toHaveCount(0);
  await other.goto(caseUrl);
  await hydrated(other);
  await expect(other.getByRole("listitem", { name: "Comment by Pat Clerk" }).locator(".badge")).toHaveText("New");
  const byPat = other.getByRole("listitem", { name: "Comment by Pat Clerk" });
  await byPat.getByText("Reply", { exact: true }).click();
  await byPat.getByLabel("Your reply (Markdown)").fill("I disagree, *respectfully*.");
  await byPat.getByRole("button", { name: "Post the reply" }).click();
  const reply = other.getByRole("listitem", { name: "Comment by Quinn Member" });
  await expect(reply).toHaveClass(/depth-1/);
  await expect(reply.locator("em")).toHaveText("respectfully");

  // The author edits; the earlier version stays visible.
  await page.reload();
  await hydrated(page);
  const mine = page.getByRole("listitem", { name: "Comment by Pat Clerk" });
  await mine.getByText("Edit", { exact: true }).click();
  await mine.getByLabel("Your comment (the earlier version stays visible)").fill("A calmer point.");
  await mine.getByRole("button", { name: "Save the new version" }).click();
  await expect(page.getByRole("listitem", { name: "Comment by Pat Clerk" }).locator(".comment-body").first()).toHaveText(
    "A calmer point.",
  );
  await expect(page.getByText("Earlier versions (1)")).toBeVisible();

  // Quinn recuses, signing with their key: the recusal is in the log, and
  // they can no longer take part.
  await other.getByLabel("Reason (published)").fill("I advised the account holder last year.");
  await other.getByLabel("Your passphrase").fill(PASSPHRASE);
  await other.getByRole("button", { name: "Sign and recuse" }).click();
  await expect(other.locator("#you-recused")).toBeVisible({ timeout: 20_000 });
  await expect(other.locator(".recusals")).toContainText("Quinn Member: I advised the account holder last year.");
  await expect(other.getByLabel("Add to the discussion (Markdown)")).toHaveCount(0);
  const entry = await other.locator(".recusals a").getAttribute("href");
  const logged = await request.get(entry!);
  expect(logged.status()).toBe(200);
  await otherContext.close();

  // Once the case is declined, its discussion is read-only.
  await page.getByRole("form", { name: "Decline the case" }).getByLabel("Reason (required)").fill("Duplicate.");
  await page.getByRole("button", { name: "Decline the case" }).click();
  await expect(page.locator("#discussion-closed")).toBeVisible();
  await expect(page.getByLabel("Add to the discussion (Markdown)")).toHaveCount(0);
  expect(problems).toEqual([]);
});

test("members add evidence; an unsupported file is refused with its reason", async ({ page, request, problems }) => {
  const token = tribune(["token", "create", "--name", "Evidence Platform"]);
  const created = await request.post("/api/v1/cases", {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": "evidence-1" },
    data: {
      kind: "content",
      subject_handle: "@evidenced",
      audience: 50,
      original_action: "labelled",
      clauses: ["M-4"],
      reason: "Appeal.",
    },
  });
  const caseUrl = `/cases/${(await created.json()).id}`;
  await enroll(page, invite("Rae Member"));
  await page.goto(caseUrl);
  const form = page.getByRole("form", { name: "Add evidence" });
  await form.getByLabel("Title").fill("Screenshot transcript");
  await form.getByLabel("File", { exact: true }).setInputFiles({
    name: "transcript.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("The post said: …\n"),
  });
  await form.getByRole("button", { name: "Add the evidence" }).click();
  await expect(page.locator("ul.evidence")).toContainText("Screenshot transcript");
  const link = page.getByRole("link", { name: "transcript.txt" });
  await expect(link).toHaveAttribute("href", /\/evidence\/\d+$/);

  await form.getByLabel("Title").fill("A web page");
  await form.getByLabel("File", { exact: true }).setInputFiles({
    name: "page.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html><script>alert(1)</script></html>"),
  });
  await form.getByRole("button", { name: "Add the evidence" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This kind of file is not accepted" })).toBeVisible();
  await expect(page.locator("ul.evidence li")).toHaveCount(1);
  expect(problems).toEqual([]);
});

test("the public comments without JavaScript; the clerk approves one and rejects another", async ({
  page,
  browser,
  request,
}) => {
  const token = tribune(["token", "create", "--name", "Comments Platform"]);
  const created = await request.post("/api/v1/cases", {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": "comments-1" },
    data: {
      kind: "policy",
      subject_handle: "@public_question",
      excerpt: "Should satire of public officials be labelled?",
      audience: 12,
      original_action: "no_action",
      clauses: ["M-4"],
      reason: "Policy question.",
    },
  });
  const id = (await created.json()).id;
  await enroll(page, invite("Sol Clerk", "clerk"));
  await page.goto(`/cases/${id}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Accept the case" }).click();
  await expect(page.locator("#case-status")).toContainText("Accepted", { timeout: 20_000 });

  const publicContext = await browser.newContext({ javaScriptEnabled: false });
  const visitor = await publicContext.newPage();
  await visitor.goto("/comment");
  await visitor.getByRole("link", { name: new RegExp(`Case #${id}: @public_question`) }).click();
  await expect(visitor.getByRole("heading", { name: "Comment on @public_question" })).toBeVisible();
  await expect(visitor.locator("#comment-question")).toHaveText("Policy question.");
  await expect(visitor.locator("#comment-counts")).toContainText("rejected by the clerk: 0");
  for (const [name, text] of [
    ["Tam Okoye", "Satire is protected speech; a label is enough."],
    ["Spam Bot", "Buy followers now!"],
  ]) {
    await visitor.getByLabel("Your name or a pseudonym (published)").fill(name);
    await visitor.getByLabel("Your statement (up to 5,000 characters)").fill(text);
    await visitor.getByRole("button", { name: "Send the statement" }).click();
    await expect(visitor.locator("#comment-result")).toContainText("Thank you");
  }
  await publicContext.close();

  await page.reload();
  await hydrated(page);
  const good = page.getByRole("form", { name: "Approve the comment by Tam Okoye" });
  await good.getByRole("button", { name: "Approve" }).click();
  await expect(page.locator('[data-status="approved"]')).toContainText("Tam Okoye");
  const spam = page.getByRole("form", { name: "Reject the comment by Spam Bot" });
  await spam.getByLabel("Reason for rejecting").fill("Advertising.");
  await spam.getByRole("button", { name: "Reject" }).click();
  await expect(page.locator('[data-status="rejected"]')).toContainText("rejected: Advertising.");

  // A member who does not screen sees only the approved statement.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await enroll(member, invite("Uma Member"));
  await member.goto(`/cases/${id}`);
  await expect(member.locator(".public-comments li")).toHaveCount(1);
  await expect(member.locator(".public-comments")).toContainText("Tam Okoye");
  await memberContext.close();
});

import { test, expect, hydrated, enroll, ownServer, PASSPHRASE, type OwnServer } from "./fixtures";
import type { Browser, Page } from "@playwright/test";

// Its own server: the roll of a motion is every voting member, so this test
// must know the whole council. The deadline closer looks every second.
let server: OwnServer;
// One server for the file: its tests run in order, in one worker.
test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  server = await ownServer(3927, { TRIBUNE_CLOSER_SECONDS: "1" });
});
test.afterAll(async () => {
  await server?.stop();
});

/** A member of `group` enrolled in a browser context of their own. */
async function member(browser: Browser, name: string, group: string, role = "member"): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  const url = server.cli(["invite", "--role", role, "--group", group, "--name", name]);
  await enroll(page, new URL(url).pathname);
  return page;
}

/** Signs and casts `choice` on the motion shown in `motion`'s article. */
async function vote(page: Page, motion: string, choice: string, reason = ""): Promise<void> {
  const article = page.getByRole("article", { name: new RegExp(`^${motion} `) });
  await article.getByLabel(choice, { exact: true }).check();
  if (reason) await article.getByLabel(/^Reason/).fill(reason);
  await article.getByLabel("Your passphrase").fill(PASSPHRASE);
  await article.getByRole("button", { name: "Sign and cast my vote" }).click();
  await expect(article.getByText(/^Replace your vote/)).toBeVisible({ timeout: 30_000 });
}

test("three groups vote with their own keys: a replaced vote, a recusal, a bridging failure, a close at the deadline, a rationale, a dissent, publication", async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const chair = await member(browser, "Lena Chair", "Civil Rights Coalition", "chair");
  const ben = await member(browser, "Ben Speech", "Free Expression Alliance");
  const tess = await member(browser, "Tess Safety", "Trust & Safety");
  const quinn = await member(browser, "Quinn Expert", "Independent Experts");

  const token = server.cli(["token", "create", "--name", "Voting Platform"]);
  const created = await request.post(`${server.baseURL}/api/v1/cases`, {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": "voting-1" },
    data: {
      kind: "content",
      subject_handle: "@voted_on",
      audience: 900,
      original_action: "removed",
      clauses: ["H-1"],
      reason: "Appeal of a removal.",
    },
  });
  expect(created.status()).toBe(201);
  const caseUrl = `/cases/${(await created.json()).id}`;

  await chair.goto(caseUrl);
  await hydrated(chair);
  for (const [button, status] of [
    ["Accept the case", "Accepted"],
    ["Open deliberation", "Deliberation"],
  ]) {
    await chair.getByRole("button", { name: button }).click();
    await expect(chair.locator("#case-status")).toContainText(status, { timeout: 20_000 });
  }

  // Quinn recuses before voting opens: not on the roll.
  await quinn.goto(caseUrl);
  await hydrated(quinn);
  await quinn.getByLabel("Reason (published)").fill("I reviewed this account for the platform.");
  await quinn.getByLabel("Your passphrase").fill(PASSPHRASE);
  await quinn.getByRole("button", { name: "Sign and recuse" }).click();
  await expect(quinn.locator("#you-recused")).toBeVisible({ timeout: 20_000 });

  // The chair assigns a panel: every group must sit on it, and Quinn, who
  // recused, is not offered.
  await chair.reload();
  await hydrated(chair);
  await expect(chair.locator("#panel")).toHaveText("No panel: every eligible member of the council votes.");
  await chair.getByText("Assign a panel").click();
  const panelForm = chair.locator("#panel-form");
  await expect(panelForm.getByRole("checkbox")).toHaveCount(3);
  await expect(panelForm).not.toContainText("Quinn Expert");
  await panelForm.getByLabel("Tess Safety (Trust & Safety)").uncheck();
  // The chair signs the panel with her own key (her passphrase unlocks it).
  await panelForm.getByLabel("Your passphrase").fill(PASSPHRASE);
  await panelForm.getByRole("button", { name: "Sign and assign this panel" }).click();
  await expect(panelForm.getByRole("alert")).toContainText("missing: Trust & Safety", { timeout: 20_000 });
  await panelForm.getByLabel("Tess Safety (Trust & Safety)").check();
  await panelForm.getByRole("button", { name: "Sign and assign this panel" }).click();
  await expect(chair.locator("#panel")).toContainText("Panel: Lena Chair (Civil Rights Coalition), Ben Speech", {
    timeout: 20_000,
  });

  // The chair drafts a finding and opens voting under the sealed rules.
  await chair.getByLabel("Text of the motion").fill("The removed post broke clause H-1.");
  await chair.getByRole("button", { name: "Save the draft" }).click();
  const first = chair.getByRole("article", { name: /^Motion \d+ · finding · Draft/ });
  await expect(first).toBeVisible({ timeout: 20_000 });
  const motionOne = (await first.getAttribute("aria-label"))!.split(" · ")[0];
  await chair.getByRole("button", { name: "Open voting", exact: true }).click();
  await expect(chair.locator("#case-status")).toContainText("Voting", { timeout: 20_000 });
  await first.getByLabel("Your passphrase").fill(PASSPHRASE);
  await first.getByRole("button", { name: "Sign and open voting on this motion" }).click();
  const open = chair.getByRole("article", { name: `${motionOne} · finding · Voting open` });
  await expect(open).toContainText("sealed: choices stay hidden", { timeout: 20_000 });
  await expect(open.locator(".roll li")).toHaveCount(3);
  await expect(open.locator(".roll")).not.toContainText("Quinn Expert");

  await vote(chair, motionOne, "support", "The post targets a protected group.");
  await ben.goto(caseUrl);
  await hydrated(ben);
  await vote(ben, motionOne, "oppose");
  // Ben changes his mind: the last vote counts, the first stays recorded.
  await vote(ben, motionOne, "support", "On reflection, the context is clear.");
  await expect(ben.getByRole("article", { name: new RegExp(`^${motionOne} `) }).locator(".votes")).toContainText(
    "sealed",
  );
  await tess.goto(caseUrl);
  await hydrated(tess);
  await vote(tess, motionOne, "oppose", "Counter-speech, not removal.");
  // Nobody sees a choice before the close, the chair included.
  await chair.reload();
  await hydrated(chair);
  const rows = chair.getByRole("article", { name: new RegExp(`^${motionOne} `) }).locator(".votes tbody tr");
  await expect(rows).toHaveCount(4);
  for (const text of await rows.allInnerTexts()) {
    expect(text).not.toMatch(/support|oppose/);
  }

  // Everyone on the roll voted: the chair closes early. Two of three
  // support, but nobody in Trust & Safety: the bridging rule fails.
  await chair.getByRole("button", { name: "Everyone voted: close voting now" }).click();
  const closed = chair.getByRole("article", { name: `${motionOne} · finding · Closed` });
  await expect(closed.locator(".outcome")).toHaveText("Not carried", { timeout: 20_000 });
  await expect(closed.locator(".bridging-result")).toHaveText("Bridging not met");
  await expect(closed.locator(".votes")).toContainText("oppose (replaced)");
  await expect(closed.locator(".tally-table")).toContainText("Trust & Safety");

  // A remedy with a one-minute window closes at its deadline by itself.
  await chair.getByLabel("Kind of motion").selectOption("remedy");
  await chair.getByLabel("Text of the motion").fill("Restore the post with a warning label.");
  await chair.getByRole("button", { name: "Save the draft" }).click();
  const second = chair.getByRole("article", { name: /^Motion \d+ · remedy · Draft/ });
  await expect(second).toBeVisible({ timeout: 20_000 });
  const motionTwo = (await second.getAttribute("aria-label"))!.split(" · ")[0];
  await second.getByLabel("Voting window (minutes)").fill("1");
  await second.getByLabel("Your passphrase").fill(PASSPHRASE);
  await second.getByRole("button", { name: "Sign and open voting on this motion" }).click();
  await expect(chair.getByRole("article", { name: `${motionTwo} · remedy · Voting open` })).toBeVisible({
    timeout: 20_000,
  });
  for (const page of [chair, ben, tess]) {
    await page.reload();
    await hydrated(page);
    await vote(page, motionTwo, "support");
  }
  await expect(async () => {
    await chair.reload();
    await expect(chair.getByRole("article", { name: `${motionTwo} · remedy · Closed` }).locator(".outcome")).toHaveText(
      "Carried: support",
      { timeout: 2_000 },
    );
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  await hydrated(chair);

  // The vote is over: the chair records the case as decided and assigns
  // Ben to write the majority rationale.
  await chair.getByRole("button", { name: "Record as decided" }).click();
  await expect(chair.locator("#case-status")).toContainText("Decided", { timeout: 20_000 });
  await hydrated(chair);
  await chair.locator("#authors-form").getByLabel("Ben Speech").check();
  await chair.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(chair.locator("#rationale-authors")).toContainText("By Ben Speech · signed by 0 of 1", {
    timeout: 20_000,
  });
  const record = chair.locator("#decision-record");
  await record.getByLabel("Policy clauses applied (codes, separated by commas)").fill("H-1");
  await record
    .getByLabel("Recommendations to the platform, one per line")
    .fill("Label counter-speech instead of removing it.");
  await record.getByRole("button", { name: "Save", exact: true }).click();
  await expect(record.getByLabel("Recommendations to the platform, one per line")).toHaveValue(
    "Label counter-speech instead of removing it.",
    { timeout: 20_000 },
  );
  // Publishing before the rationale is signed is refused.
  await chair.locator("#publish-form").getByLabel("Your passphrase").fill(PASSPHRASE);
  await chair.getByRole("button", { name: "Sign and publish the decision" }).click();
  await expect(chair.locator("#publish-form [role=alert]")).toContainText("signed by each of its authors", {
    timeout: 30_000,
  });

  // Ben writes the rationale, then signs it with his key.
  const rationale = "The post quotes a slur to condemn it: counter-speech that clause H-1 protects.";
  await ben.reload();
  await hydrated(ben);
  await ben.getByLabel(/^The rationale/).fill(rationale);
  await ben.getByRole("button", { name: "Save the rationale" }).click();
  const signRationale = ben.locator("#rationale-sign");
  await expect(signRationale).toBeVisible({ timeout: 20_000 });
  await signRationale.getByLabel("Your passphrase").fill(PASSPHRASE);
  await signRationale.getByRole("button", { name: "Sign the rationale" }).click();
  await expect(ben.locator("#rationale-authors")).toContainText("signed by 1 of 1", { timeout: 30_000 });
  await expect(ben.locator("#rationale-text-shown")).toHaveText(rationale);

  // Tess dissents, signed with her key; Quinn, recused, cannot write one.
  await tess.reload();
  await hydrated(tess);
  const separate = tess.locator("#opinion-sign");
  await separate.getByLabel("Kind").selectOption("dissent");
  await separate.getByLabel("Your opinion (signed and published)").fill("Labels do not undo the harm of a slur.");
  await separate.getByLabel("Your passphrase").fill(PASSPHRASE);
  await separate.getByRole("button", { name: "Sign and publish my opinion" }).click();
  await expect(tess.locator(".opinion.dissent")).toContainText("Tess Safety", { timeout: 30_000 });
  await quinn.reload();
  await expect(quinn.locator("#decision")).toBeVisible();
  await expect(quinn.locator("#opinion-sign")).toHaveCount(0);

  // The chair publishes: the case is published, dissent and all.
  await chair.reload();
  await hydrated(chair);
  await chair.locator("#publish-form").getByLabel("Your passphrase").fill(PASSPHRASE);
  await chair.getByRole("button", { name: "Sign and publish the decision" }).click();
  await expect(chair.locator("#case-status")).toContainText("Published", { timeout: 30_000 });
  // The decision in the log is the chair's own act, signed with her key,
  // not with the log key that signed the founding (entry 0).
  const href = await chair.locator("#decision-published a").getAttribute("href");
  const logged = await (await request.get(`${server.baseURL}${href}`)).json();
  const founding = await (await request.get(`${server.baseURL}/log/entry/0`)).json();
  expect(logged.entry.kind).toBe("decision");
  expect(logged.entry.signer).not.toBe(founding.entry.signer);
  await expect(chair.locator("#decision-published")).toContainText("log entry");
  await expect(chair.locator(".opinion.dissent")).toContainText("Labels do not undo the harm of a slur.");
  await expect(chair.locator(".opinion.majority")).toContainText(rationale);
  await expect(chair.locator("#recommendations")).toContainText("Answer due");

  // The platform answers the recommendation through its API; the answer is logged.
  const caseId = caseUrl.split("/").pop();
  const answered = await request.post(`${server.baseURL}/api/v1/cases/${caseId}/recommendations/1/answers`, {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": "answer-recommendation-1" },
    data: { status: "assessing", text: "We are testing labels in two markets." },
  });
  expect(answered.status()).toBe(201);
  await chair.reload();
  await expect(chair.locator("#recommendations")).toContainText("The platform: assessing");
  await expect(chair.locator("#recommendations")).toContainText("We are testing labels in two markets.");

  // The whole log, votes revealed, tallies, opinions and the decision, verifies.
  expect(server.cli(["verify", server.baseURL])).toMatch(/^ok: .* 2 motions, 2 tallies recomputed.*; 1 decisions/);
});

test("an admin signs a change of the voting rules; the public sees every version", async ({ browser, page }) => {
  test.setTimeout(120_000);
  const admin = await member(browser, "Ada Admin", "Trust & Safety", "admin");
  await admin.goto("/admin");
  await hydrated(admin);
  await expect(admin.locator("#rules-current")).toContainText("In force: version 1.");
  const form = admin.getByRole("form", { name: "Change the voting rules" });
  await form.getByLabel("Quorum (% of the roll who must vote)").fill("60");
  await form.getByLabel("Agreement across groups").selectOption("majority-in-groups");
  await form.getByLabel("K (groups)").fill("2");
  await form.getByLabel(/^Sealed/).uncheck();
  await form.getByLabel("Reason (published)").fill("Open votes for the trial period.");
  await form.getByLabel("Your passphrase").fill(PASSPHRASE);
  await form.getByRole("button", { name: "Sign and adopt these rules" }).click();
  await expect(admin.locator("#rules-current")).toContainText("In force: version 2.", { timeout: 30_000 });
  await expect(admin.locator("#rules-current")).toContainText("Quorum 60%");

  // The public page lists both versions, newest first, without signing in.
  await page.goto(`${server.baseURL}/rules`);
  const versions = page.locator(".rules-history li");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("Version 2");
  await expect(versions.first()).toContainText("a majority of voters in at least 2 groups");
  await expect(versions.first()).toContainText("Open votes for the trial period.");
  await expect(versions.first()).toContainText("votes public as they are cast");
  expect(server.cli(["verify", server.baseURL])).toMatch(/^ok: /);
});

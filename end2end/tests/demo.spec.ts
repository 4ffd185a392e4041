import { execFileSync } from "node:child_process";
import { test, expect, hydrated, ownServer, type OwnServer } from "./fixtures";

// The full demo council `make run` shows a newcomer, on a server of its own.
let server: OwnServer;
test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  server = await ownServer(3937, {}, "full");
});
test.afterAll(async () => {
  await server?.stop();
});

test("the demo council lives: published decisions on the home page, sign in as a demo member, vote with the demo key", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto(`${server.baseURL}/`);
  await expect(page.locator("#demo-notice")).toContainText("demo council");
  const decisions = page.locator("#decision-log .decision-summary");
  await expect(decisions).toHaveCount(2);
  await expect(decisions.first()).toContainText("@coastal_runner");
  await expect(decisions.first()).toContainText("Outcome: not carried");
  await expect(decisions.nth(1)).toContainText("@harbour_news_daily");
  await expect(decisions.nth(1)).toContainText("Outcome: carried");

  // Sign in as Priya, a member of the Free Expression Alliance.
  await page.goto(`${server.baseURL}/sign-in`);
  await hydrated(page);
  await expect(page.locator("#demo-passphrase")).toHaveText("demo council passphrase");
  await page.getByRole("button", { name: /^Sign in as Priya Raman/ }).click();
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 60_000 });
  // The open sealed motion awaits her vote.
  const awaiting = page.locator("#voting");
  await expect(awaiting).toContainText("@tidewater_forum");
  await awaiting.getByRole("link", { name: /@tidewater_forum/ }).click();
  await hydrated(page);
  const motion = page.getByRole("article", { name: /^Motion \d+ · finding · Voting open/ });
  await motion.getByLabel("oppose", { exact: true }).check();
  await motion.getByLabel("Your passphrase").fill("demo council passphrase");
  await motion.getByRole("button", { name: "Sign and cast my vote" }).click();
  await expect(motion.getByText(/^Replace your vote/)).toBeVisible({ timeout: 60_000 });

  // A decision in preparation shows its draft rationale and author.
  await page.goto(`${server.baseURL}/cases?q=city_desk`);
  await page.getByRole("row", { name: /@city_desk_watch/ }).getByRole("link").first().click();
  await expect(page.locator("#rationale-authors")).toContainText("By Priya Raman · signed by 0 of 1");

  expect(server.cli(["verify", server.baseURL])).toMatch(
    /; 2 decisions, each naming every vote and opinion; 2 public decision records match the log/,
  );
});

test("the public record: the decision log, a decision's page, and Verify in the browser, which catches a vote altered in the database", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // The log, filtered without JavaScript (a plain GET form).
  await page.goto(`${server.baseURL}/decisions`);
  await expect(page.locator("#decision-results .decision-summary")).toHaveCount(2);
  await page.getByLabel("Search").fill("harbour_news");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/q=harbour_news/);
  await expect(page.locator("#decision-results .decision-summary")).toHaveCount(1);
  await page.getByRole("link", { name: "@harbour_news_daily" }).click();
  await expect(page).toHaveURL(/\/decisions\/1$/);

  // The page: tallies drawn, every vote, the rationale and the dissent.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("@harbour_news_daily");
  await expect(page.locator("#motion-1 svg[role=img]")).toHaveCount(1);
  await expect(page.locator("#motion-1 table.votes tbody tr")).toHaveCount(7);
  await expect(page.locator("#separate-opinions")).toContainText("dissent");

  // Verify runs the domain's checks in WebAssembly: all pass.
  await hydrated(page);
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.locator("#verify-summary")).toHaveText(/^Verified: all \d+ checks passed\.$/, { timeout: 60_000 });
  await expect(page.locator(".check-lines")).toContainText("tally recomputed from 7 counted votes");

  // The operator changes a vote in the database behind the app's back.
  const changed = execFileSync("python3", [
    "-c",
    `import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
motion, member, sequence, choice = db.execute(
    "SELECT v.motion_id, v.member_id, v.sequence, v.choice FROM votes v "
    "JOIN motions m ON m.id = v.motion_id WHERE m.case_id = 1 ORDER BY v.log_index LIMIT 1").fetchone()
other = "support" if choice != "support" else "oppose"
db.execute("DROP TRIGGER votes_no_update")
db.execute("UPDATE votes SET choice = ? WHERE motion_id = ? AND member_id = ? AND sequence = ?",
           (other, motion, member, sequence))
db.commit()
print(other)`,
    server.database,
  ])
    .toString()
    .trim();
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.locator("#verify-summary")).toHaveText(/^Verification failed: 1 of \d+ checks did not pass\.$/, {
    timeout: 60_000,
  });
  await expect(page.locator(".check-failed")).toContainText(`the page shows “${changed}” but the signed entry says`);
  // The command-line verifier says the same, naming the entry.
  expect(() => server.cli(["verify", server.baseURL])).toThrow(/does not match the log at entry \d+/);
});

test("the public pages in French, from the browser's preference or the switch, and back to English", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ locale: "fr-FR" });
  const page = await context.newPage();
  // The browser asks for French: the decision log answers in French, dates included.
  await page.goto(`${server.baseURL}/decisions`);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Journal des décisions");
  await expect(page.getByRole("navigation", { name: "Site" })).toContainText("Clauses");
  await expect(page.locator(".decision-summary").first()).toContainText("Issue : ");
  await expect(page.locator(".decision-summary time").first()).toHaveText(
    /^\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}$/,
  );
  // Hydration renders the same French text (no mismatch, no flash of English).
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Journal des décisions");

  // The home page, and the log verified in the browser, in French.
  await page.goto(`${server.baseURL}/`);
  await expect(page.locator(".eyebrow").first()).toHaveText("Conseil de modération des contenus");
  await hydrated(page);
  await page.getByRole("button", { name: "Vérifier le journal dans ce navigateur" }).click();
  await expect(page.locator(".check-result")).toContainText(/Vérifié dans votre navigateur : \d+ entrées/, {
    timeout: 60_000,
  });

  // A decision's page, and its verification, in French (decision 2: the
  // test above altered a vote of decision 1).
  await page.goto(`${server.baseURL}/decisions/2`);
  await expect(page.getByRole("heading", { level: 2, name: "Motions et votes" })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Vérifier", exact: true }).click();
  await expect(page.locator("#verify-summary")).toHaveText(/^Vérifié : les \d+ contrôles sont passés\.$/, {
    timeout: 60_000,
  });

  // The member registry and the 404 page.
  await page.goto(`${server.baseURL}/members`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Membres");
  await expect(page.locator("table.registry thead")).toContainText("Clés");
  const missing = await page.goto(`${server.baseURL}/nulle-part`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");

  // A clause's consistency report, in French.
  await page.goto(`${server.baseURL}/clauses/H-1`);
  await expect(page.getByRole("heading", { level: 2, name: "Les mêmes règles pour tous ?" })).toBeVisible();
  await expect(page.locator("#outcomes-by-tier figcaption")).toContainText("adoptée");

  // The switch (a plain link, hydrated page or not): English from now on, on the same page.
  await hydrated(page);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(/\/clauses\/H-1$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 2, name: "Same rules for everyone?" })).toBeVisible();
  await page.goto(`${server.baseURL}/decisions`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Decision log");
  // And back to French.
  await page.getByRole("link", { name: "Français" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Journal des décisions");
  await context.close();
});

test("the docket: a declined, a withdrawn and a published case, each with its public page and every move, without JavaScript", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.baseURL}/`);
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Docket" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Docket");
  await expect(page.locator("#docket-results .docket-line")).toHaveCount(9);

  for (const [stage, reason] of [
    ["declined", "Spam is outside the council's remit."],
    ["withdrawn", "The platform escalated this case twice."],
  ]) {
    // The filter is a plain GET form.
    await page.goto(`${server.baseURL}/docket`);
    await page.getByLabel("Stage").selectOption(stage);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(new RegExp(`stage=${stage}`));
    const lines = page.locator("#docket-results .docket-line");
    await expect(lines).toHaveCount(1);
    await expect(lines).toContainText("a private account (not named)");
    await lines.getByRole("link").click();
    await expect(page.locator("#docket-stage")).toContainText(stage);
    const moves = page.locator("#docket-moves li");
    await expect(moves).toHaveCount(2);
    await expect(moves.last()).toContainText(reason);
    await expect(moves.last()).toContainText("Rosa Lindqvist");
    await expect(page.getByRole("status")).toContainText("ended without a decision");
  }

  // A published case: its moves up to publication, and its decision.
  await page.goto(`${server.baseURL}/docket?stage=published`);
  await page.locator(".docket-line", { hasText: "@harbour_news_daily" }).getByRole("link").click();
  await expect(page.locator("#docket-moves li").last()).toContainText("published");
  await page.locator("#docket-decision").click();
  await expect(page).toHaveURL(/\/decisions\/\d+$/);
  await context.close();
});

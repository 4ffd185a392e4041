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

  expect(server.cli(["verify", server.baseURL])).toMatch(/; 2 decisions, each naming every vote and opinion$/);
});

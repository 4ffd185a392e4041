import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { test, expect, hydrated, ownServer, type OwnServer } from "./fixtures";

// axe-core's automated accessibility check on every public page of the full
// demo council: no serious or critical violation of WCAG 2.1 A and AA. The
// engine is evaluated in the page through the browser's debugging protocol
// (the site's Content-Security-Policy admits no injected script, rightly).
const axeSource = fs.readFileSync(path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations: Violation[] = await page.evaluate(async () => {
    // @ts-expect-error axe is the global the engine defines.
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

let server: OwnServer;
test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  server = await ownServer(3947, {}, "full");
});
test.afterAll(async () => {
  await server?.stop();
});

for (const route of [
  "/",
  "/decisions",
  "/decisions?outcome=carried&q=harbour",
  "/decisions/1",
  "/decisions/2",
  "/recommendations",
  "/docket",
  "/docket?stage=withdrawn",
  "/docket/9",
  "/clauses",
  "/clauses/H-1",
  "/clauses/P-3",
  "/members",
  "/rules",
  "/comment",
  "/sign-in",
  "/no-such-page",
]) {
  test(`no serious accessibility violation on ${route}`, async ({ page }) => {
    await page.goto(`${server.baseURL}${route}`);
    await hydrated(page);
    expect(await seriousViolations(page)).toEqual([]);
  });
}

// A phone (390 px wide): no public page is wider than the screen, in
// either language. The header's links wrap; a wide table (a tally, the
// votes, a consistency report) scrolls inside its own box.
test("every public page fits a phone's width, in English and in French", async ({ browser }) => {
  for (const language of ["en", "fr"]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    if (language === "fr") {
      await page.goto(`${server.baseURL}/language/fr?back=/`);
    }
    for (const route of ["/", "/decisions", "/decisions/1", "/docket", "/docket/9", "/clauses", "/clauses/H-1", "/members", "/rules", "/comment", "/sign-in"]) {
      await page.goto(`${server.baseURL}${route}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${route} (${language}) is ${width} px wide`).toBeLessThanOrEqual(390);
    }
    // The header's links are all on screen, none cut in two.
    const header = page.locator(".site-header nav a").first();
    const box = await header.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await context.close();
  }
});

test("no serious accessibility violation in the decision page's verification result", async ({ page }) => {
  await page.goto(`${server.baseURL}/decisions/1`);
  await hydrated(page);
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.locator("#verify-summary")).toContainText("Verified", { timeout: 60_000 });
  expect(await seriousViolations(page)).toEqual([]);
});

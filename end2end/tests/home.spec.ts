import { test, expect, hydrated } from "./fixtures";

test.describe("public home page", () => {
  test("renders the council on the server and hydrates without errors", async ({ page, problems }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);

    // Server-rendered content.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbour Content Council");
    await expect(page).toHaveTitle("Harbour Content Council · Tribune");
    await expect(page.getByText("demo.tribune.example/harbour", { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Decision log" })).toBeVisible();
    await expect(page.getByText("No decisions have been published yet.")).toBeVisible();

    // A client-side interaction: only the hydrated app can fold and unfold
    // the verification explanation (its button is hidden until then).
    await hydrated(page);
    const toggle = page.getByRole("button", { name: "Show how" });
    await expect(toggle).toBeVisible();
    const panel = page.locator("#verify-panel");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(panel).toBeHidden();

    await toggle.click();
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("tribune verify");
    const hide = page.getByRole("button", { name: "Hide how" });
    await expect(hide).toHaveAttribute("aria-expanded", "true");

    await hide.press("Enter");
    await expect(panel).toBeHidden();
    await expect(page.getByRole("button", { name: "Show how" })).toBeFocused();

    expect(problems).toEqual([]);
  });

  test("the first Tab reaches the skip link, which moves to the content", async ({ page, problems }) => {
    await page.goto("/");
    await hydrated(page);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await skip.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    expect(problems).toEqual([]);
  });

  test("an unknown address shows the 404 page and still hydrates", async ({ page, problems }) => {
    const response = await page.goto("/cases/does-not-exist");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.getByText("/cases/does-not-exist")).toBeVisible();
    await expect(page).toHaveTitle("Page not found · Tribune");
    await hydrated(page);

    // The pages are rendered on the server and only their islands hydrate
    // (islands mode): following the link home is a plain page load, after
    // which the home page's own islands hydrate.
    await page.getByRole("link", { name: "Go to the council's home page" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbour Content Council");
    await expect(page).toHaveTitle("Harbour Content Council · Tribune");
    await hydrated(page);
    await expect(page.getByRole("button", { name: "Show how" })).toBeVisible();
    // The browser reports the 404 of the page itself; nothing else may go wrong.
    expect(problems.filter((p) => !p.includes("404 (Not Found) (") || !p.endsWith("/cases/does-not-exist)"))).toEqual([]);
  });

  test("the log is verified in the browser by the WebAssembly verifier", async ({ page, problems }) => {
    await page.goto("/");
    await hydrated(page);
    await page.getByRole("button", { name: "Verify the log in this browser" }).click();
    const result = page.locator(".check-result");
    // Other tests enroll members meanwhile: the log holds the founding
    // statement and whatever they appended.
    await expect(result).toContainText(/Verified in your browser: \d+ entr(y|ies), every signature valid/);
    await expect(result).toContainText("checkpoint signed by demo.tribune.example/harbour");
    expect(problems).toEqual([]);
  });

  test("the log's public key on the page is the one served at /log/key", async ({ page, request }) => {
    await page.goto("/");
    const shown = (await page.locator("code.log-key").textContent())?.trim();
    expect(shown).toMatch(/^demo\.tribune\.example\/harbour\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/);
    const served = await request.get("/log/key");
    expect(served.status()).toBe(200);
    expect((await served.text()).trim()).toBe(shown);
    const checkpoint = await request.get("/log/checkpoint");
    expect(checkpoint.status()).toBe(200);
    expect(await checkpoint.text()).toMatch(/^demo\.tribune\.example\/harbour\n[1-9]\d*\n[A-Za-z0-9+/=]{44}\n\n\u2014 demo\.tribune\.example\/harbour /);
  });

  test("healthz answers with the version and the database status", async ({ request }) => {
    const response = await request.get("/healthz");
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.status).toBe("ok");
    expect(body.database).toEqual({ backend: "sqlite", status: "ok", reads: "ok", writes: "ok" });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page reads the same, with the explanation unfolded", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Harbour Content Council");
    await expect(page.getByText("No decisions have been published yet.")).toBeVisible();
    // No script can run to fold it, so the explanation is simply shown and
    // the button that would fold it stays hidden.
    await expect(page.locator("#verify-panel")).toBeVisible();
    await expect(page.locator("#verify-panel")).toContainText("tribune verify");
    await expect(page.getByRole("button", { name: "Show how" })).toBeHidden();
    await expect(page.locator("main#main")).toHaveAttribute("data-hydrated", "false");
    await expect(page.getByRole("button", { name: "Verify the log in this browser" })).toBeHidden();
  });

  test("the 404 page is served complete", async ({ page }) => {
    const response = await page.goto("/nowhere");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  });
});

import { test as base, expect, type Page } from "@playwright/test";

/**
 * A page that records every console error and warning and every uncaught
 * exception, so a test can assert the app hydrated cleanly.
 */
export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") {
        problems.push(`console.${message.type()}: ${message.text()} (${message.location().url})`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) =>
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
    );
    await use(problems);
  },
});

/** Waits until the WebAssembly bundle has hydrated the page. */
export async function hydrated(page: Page): Promise<void> {
  // The server renders data-hydrated="false"; only an effect, which runs in
  // the browser after hydration, turns it to "true".
  await expect(page.locator("main#main")).toHaveAttribute("data-hydrated", "true");
}

export { expect };

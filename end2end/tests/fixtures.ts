import { test as base, expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

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
    page.on("requestfailed", (request) => {
      // A navigation away cancels the previous page's downloads: not a fault.
      if (request.failure()?.errorText !== "net::ERR_ABORTED") {
        problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
      }
    });
    await use(problems);
  },
});

/** Waits until the WebAssembly bundle has hydrated the page. */
export async function hydrated(page: Page): Promise<void> {
  // The server renders data-hydrated="false"; only an effect, which runs in
  // the browser after hydration, turns it to "true".
  // Generous: a debug bundle on a busy 2-core machine can take a while.
  await expect(page.locator("main#main")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
}

export { expect };

/**
 * Runs `tribune invite` against the server's database, as an operator would,
 * and returns the invitation's path (`/invite/…`).
 */
export function invite(name: string, role = "member"): string {
  const url = tribune(["invite", "--role", role, "--group", "Independent Experts", "--name", name]);
  return new URL(url).pathname;
}

/** Runs the `tribune` command line against the server's database; returns its last line. */
export function tribune(args: string[]): string {
  const dataDir = process.env.TRIBUNE_E2E_DATA_DIR!;
  const binary = path.resolve(__dirname, "..", process.env.TRIBUNE_BIN ?? "../target/debug/tribune");
  const output = execFileSync(binary, args, {
    env: {
      ...process.env,
      TRIBUNE_DATABASE_URL: `sqlite://${dataDir}/tribune.db`,
      TRIBUNE_LOG_KEY_FILE: path.join(dataDir, "log.key"),
      LEPTOS_SITE_ADDR: `127.0.0.1:${process.env.TRIBUNE_E2E_PORT}`,
      TRIBUNE_LOG: "warn",
    },
  }).toString();
  return output.trim().split("\n").pop()!;
}

export const PASSPHRASE = "correct horse battery staple";

/** Accepts an invitation in `page`: creates, stores and registers the key. */
export async function enroll(page: Page, invitation: string, passphrase = PASSPHRASE): Promise<void> {
  await page.goto(invitation);
  await hydrated(page);
  await page.getByLabel("Passphrase (at least 12 characters)").fill(passphrase);
  await page.getByLabel("The same passphrase again").fill(passphrase);
  await page.getByRole("button", { name: "Create my key and join" }).click();
  await expect(page.getByRole("heading", { name: /^Welcome, / })).toBeVisible({ timeout: 20_000 });
}

/** Signs in with the key stored in `page`'s browser. */
export async function signIn(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  await page.getByRole("button", { name: "Sign in" }).click();
}

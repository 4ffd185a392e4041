import { test as base, expect, type Page } from "@playwright/test";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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

/** A server of a test's own: its own demo database, port and settings. */
export interface OwnServer {
  baseURL: string;
  /** Runs the `tribune` command line against this server's database; returns its last line. */
  cli(args: string[]): string;
  /** The server's SQLite database file (for tests that tamper with it). */
  database: string;
  stop(): Promise<void>;
}

/**
 * Starts `tribune serve` on a fresh demo database at `port`, for a test that
 * needs to know everyone on the council (the shared server's roll grows with
 * every test that enrolls someone). `demo`: the bare council, or the full
 * demo council with its members, cases and decisions.
 */
export async function ownServer(
  port: number,
  settings: Record<string, string> = {},
  demo: "bare" | "full" = "bare",
): Promise<OwnServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tribune-e2e-own-"));
  const binary = path.resolve(__dirname, "..", process.env.TRIBUNE_BIN ?? "../target/debug/tribune");
  const env = {
    ...process.env,
    TRIBUNE_DATABASE_URL: `sqlite://${dataDir}/tribune.db`,
    TRIBUNE_LOG_KEY_FILE: path.join(dataDir, "log.key"),
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: path.resolve(__dirname, "../../target/site"),
    TRIBUNE_LOG: "warn",
    ...settings,
  };
  const cli = (args: string[]) =>
    execFileSync(binary, args, { env }).toString().trim().split("\n").pop()!;
  cli(demo === "bare" ? ["demo", "--bare"] : ["demo"]);
  const child = spawn(binary, ["serve"], { env, stdio: "ignore" });
  const baseURL = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 240) throw new Error(`the server on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseURL,
    cli,
    database: path.join(dataDir, "tribune.db"),
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

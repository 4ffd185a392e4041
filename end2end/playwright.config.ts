import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";
import * as fs from "node:fs";

// The server under test: the debug build that `cargo leptos build` made, on a
// fresh SQLite database with the demo council, on a port of its own.
const port = Number(process.env.E2E_PORT ?? 3917);
const baseURL = `http://127.0.0.1:${port}`;
// Workers load this file again: they inherit the directory the main process made.
const dataDir =
  process.env.TRIBUNE_E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "tribune-e2e-"));
process.env.TRIBUNE_E2E_DATA_DIR = dataDir;
process.env.TRIBUNE_E2E_PORT = String(port);
// TRIBUNE_BIN=../target/release/tribune runs the same tests against a release build.
const binary = path.resolve(__dirname, process.env.TRIBUNE_BIN ?? "../target/debug/tribune");

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  // The html reporter can hang a run nobody watches.
  reporter: "list",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `"${binary}" demo --bare && exec "${binary}" serve`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      TRIBUNE_DATABASE_URL: `sqlite://${dataDir}/tribune.db`,
      TRIBUNE_LOG_KEY_FILE: path.join(dataDir, "log.key"),
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: path.resolve(__dirname, "../target/site"),
      TRIBUNE_LOG: "warn",
    },
  },
});

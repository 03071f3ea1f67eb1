import { defineConfig, devices } from "@playwright/test";
import { e2eEnv } from "./e2e/support/env";

const env = e2eEnv();

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: env.baseURL,
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      testIgnore: /audience\//,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 } },
    },
    // Compared with the simulator's ground truth: runs after the others, with every account synced.
    {
      name: "audience",
      testMatch: /audience\/.*\.spec\.ts/,
      dependencies: ["chromium"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 } },
    },
  ],
  webServer: {
    command: "tsx --conditions=react-server e2e/support/server.ts",
    url: `${env.baseURL}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: env.databaseUrl,
      AUTH_SECRET: env.authSecret,
      UNIONVIEW_SECRET_KEY: env.secretKey,
      PORT: String(env.port),
      SIMULATOR_PORT: String(env.simPort),
      WECHAT_API_BASE: env.simURL,
      NEXT_TELEMETRY_DISABLED: "1",
      // Webhooks to the test's own receiver on 127.0.0.1 (refused by default as private).
      UNIONVIEW_WEBHOOK_ALLOW_PRIVATE: "1",
    },
  },
});

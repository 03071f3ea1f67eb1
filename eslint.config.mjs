import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

/**
 * The layers (ARCHITECTURE.md): which folder may import which. Each rule lists what a folder must not
 * import; `!` patterns are the exceptions (gitignore syntax). A later block for the same files replaces
 * an earlier one, so test files get their own, slightly wider, block after their folder's.
 */
const TESTS = ["**/*.test.ts", "**/testing.ts"];
const APP_CODE = ["@/app/*", "@/components/*", "@/scripts/*", "@/bench/*", "@/e2e/*"];
/** Nothing climbs out of its folder with `../`: cross-folder imports use `@/…`, which these rules see. */
const NO_CLIMBING = {
  group: ["../../*"],
  message: "Import other folders through @/… so the layer rules apply.",
};

/** `groups`: gitignore-style patterns; `regex`: for "anything under @/lib/ but these folders". */
const layer = (files, groups, message, regex) => ({
  files,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [{ group: groups, message }, ...(regex ? [{ regex, message }] : []), NO_CLIMBING],
      },
    ],
  },
});
/** A regex for "@/lib/<any folder but these>". */
const libExcept = (...folders) => `^@/lib/(?!(${folders.join("|")})(/|$))`;

/** Every folder of lib/: no reaching into the app's UI or scripts (a folder's own block below replaces it). */
const libGeneric = layer(
  ["lib/**/*.ts"],
  APP_CODE,
  "lib/ must not import app/, components/, scripts/, bench/ or e2e/.",
);

const layers = [
  // The simulator is WeChat's independent stand-in: it shares no code with the app.
  layer(
    ["lib/simulator/**/*.ts"],
    APP_CODE,
    "lib/simulator is a standalone peer of WeChat: it must not import the app's code.",
    libExcept("simulator"),
  ),
  // The WeChat client knows HTTP, tokens and errors, not the features that use it.
  layer(
    ["lib/wechat/**/*.ts"],
    APP_CODE,
    "lib/wechat must not import a feature (accounts, people, sync, push, …): features import it.",
    libExcept("wechat", "db", "env", "time", "log"),
  ),
  layer(
    ["lib/wechat/**/*.test.ts", "lib/wechat/testing.ts"],
    APP_CODE,
    "lib/wechat's tests use the simulator and the temp database only, no feature.",
    libExcept("wechat", "db", "env", "time", "log", "simulator", "testing"),
  ),
  // The database layer: schema, connection, migrations. Features build on it, never the reverse.
  layer(
    ["lib/db/**/*.ts"],
    APP_CODE,
    "lib/db must not import a feature: features import lib/db.",
    libExcept("db", "env", "log"),
  ),
  // The follower write model sits under sync and push: it imports neither them nor the readers above it.
  layer(
    ["lib/followers/**/*.ts"],
    ["@/lib/sync/*", "@/lib/push/*", "@/lib/people/*", "@/lib/analytics/*", "@/lib/accounts/*", ...APP_CODE],
    "lib/followers is the write model sync and push share: it must not import them or the features above it.",
  ),
  // Sync and push both write through lib/followers; neither imports the other.
  layer(
    ["lib/sync/**/*.ts"],
    ["@/lib/push", "@/lib/push/*", ...APP_CODE],
    "lib/sync must not import lib/push.",
  ),
  layer(
    ["lib/push/**/*.ts"],
    ["@/lib/sync", "@/lib/sync/*", ...APP_CODE],
    "lib/push must not import lib/sync.",
  ),
  // A push test needs a synced database first: it may use the sync's test fixture, nothing else of sync.
  layer(
    TESTS.map((t) => `lib/push/${t}`),
    APP_CODE,
    "lib/push's tests may use lib/sync/testing (a synced fixture) and nothing else of lib/sync.",
    "^@/lib/sync(/(?!testing$)|$)",
  ),
  // Tests that span features (lib/integration) may drive route handlers too.
  layer(
    ["lib/integration/**/*.ts"],
    ["@/components/*", "@/scripts/*", "@/bench/*", "@/e2e/*"],
    "lib/integration may use any feature and route handler, not components, scripts, benches or e2e helpers.",
  ),
  // Pages, route handlers and components read through lib/<feature>/queries.ts and act through actions.ts.
  layer(
    ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ["@/lib/db", "@/lib/db/*", "@/lib/wechat", "@/lib/wechat/*", "@/scripts/*", "@/bench/*", "@/e2e/*"],
    "Pages and components read through lib/<feature>/queries.ts, never lib/db or lib/wechat directly.",
  ),
  // Route-handler tests beside their routes check what was stored and sign what WeChat would send.
  layer(
    ["app/**/*.test.ts"],
    ["@/scripts/*", "@/bench/*", "@/e2e/*"],
    "Route tests may read the database and use the WeChat crypto, not scripts, benches or e2e helpers.",
  ),
];

const config = [
  ...nextVitals,
  ...nextTs,
  prettier,
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    files: ["next.config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  // The generic lib/ rule first, so that each folder's own block (which repeats APP_CODE) replaces it.
  libGeneric,
  ...layers,
];

export default config;

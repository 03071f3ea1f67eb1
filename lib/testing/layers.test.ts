import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The layer rules in eslint.config.mjs, checked against one deliberately wrong import of each kind
 * (and a right one beside it), so a change to the config that stops catching them fails here.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [x];\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the linter keeps the layers", () => {
  // Loading the config (Next's plugins, typescript-eslint) is the slow part: once, with room to spare.
  beforeAll(() => eslint.calculateConfigForFile("lib/example.ts"), 120_000);

  it.each([
    ["lib/simulator/example.ts", 'import { x } from "@/lib/accounts/queries";', "standalone peer"],
    ["lib/simulator/example.ts", 'import { x } from "@/components/ui/button";', "standalone peer"],
    [
      "lib/wechat/example.ts",
      'import { x } from "@/lib/accounts/wechat-client";',
      "must not import a feature",
    ],
    ["lib/wechat/example.ts", 'import { x } from "@/lib/sync/queue";', "must not import a feature"],
    ["lib/db/example.ts", 'import { x } from "@/lib/people/queries";', "lib/db must not import a feature"],
    ["app/(dashboard)/example/page.tsx", 'import { x } from "@/lib/db";', "never lib/db or lib/wechat"],
    ["app/api/example/route.ts", 'import { x } from "@/lib/wechat/client";', "never lib/db or lib/wechat"],
    ["components/example/view.tsx", 'import { x } from "@/lib/db/schema";', "never lib/db or lib/wechat"],
    ["lib/sync/example.ts", 'import { x } from "@/lib/push/apply";', "lib/sync must not import lib/push"],
    ["lib/push/example.ts", 'import { x } from "@/lib/sync/engine";', "lib/push must not import lib/sync"],
    ["lib/push/example.test.ts", 'import { x } from "@/lib/sync/queue";', "nothing else of lib/sync"],
    ["lib/followers/example.ts", 'import { x } from "@/lib/sync/engine";', "write model"],
    ["lib/people/example.ts", 'import { x } from "@/components/ui/button";', "must not import app/"],
    ["lib/people/example.ts", 'import { x } from "../../components/ui/button";', "through @/"],
  ])("%s: %s is refused", async (file, source, message) => {
    const messages = await restricted(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it.each([
    ["lib/wechat/example.ts", 'import { x } from "@/lib/db/schema";'],
    ["lib/wechat/example.test.ts", 'import { x } from "@/lib/simulator";'],
    ["lib/sync/example.ts", 'import { x } from "@/lib/followers/writer";'],
    ["lib/push/example.ts", 'import { x } from "@/lib/followers/writer";'],
    ["lib/push/example.test.ts", 'import { x } from "@/lib/sync/testing";'],
    ["app/(dashboard)/example/page.tsx", 'import { x } from "@/lib/people/queries";'],
    ["app/api/example/route.test.ts", 'import { x } from "@/lib/db";'],
    ["lib/integration/example.test.ts", 'import { x } from "@/lib/push/apply";'],
  ])("%s: %s is allowed", async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});

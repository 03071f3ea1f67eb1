import { describe, expect, it } from "vitest";
import { RefusalLog } from "./refusal-log";

describe("refused-push log lines", () => {
  it("writes the first refusal of an appid, then one summary per window however many follow", () => {
    const lines: string[] = [];
    let now = 0;
    const log = new RefusalLog({ windowMs: 60_000, write: (l) => lines.push(l), now: () => now });
    for (let i = 0; i < 1000; i++) log.refused("wxa", 403, "bad signature");
    for (let i = 0; i < 5; i++) log.refused("wxa", 400, "malformed XML");
    log.refused("wxb", 403, "bad signature");
    expect(lines).toEqual(["push wxa: 403 bad signature", "push wxb: 403 bad signature"]);
    now = 60_000;
    log.refused("wxa", 403, "bad signature");
    expect(lines.slice(2)).toEqual([
      "push wxa: 1004 more refused within 60 s (403 bad signature ×999, 400 malformed XML ×5)",
      "push wxa: 403 bad signature",
    ]);
    log.flush("wxa");
    log.flush("wxb");
    expect(lines).toHaveLength(4);
  });
});

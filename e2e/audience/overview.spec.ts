import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "../support/helpers";
import { simTruth, syncEverySimAccount } from "./synced";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await syncEverySimAccount(page);
  await page.close();
});

const digits = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

async function figure(page: Page, id: string): Promise<number> {
  return digits(await page.getByTestId(`figure-${id}`).textContent());
}

/** The bars (or cells) of a chart, by their accessible names: "label：count …". */
async function chartLinks(chart: Locator): Promise<string[]> {
  const read = () =>
    chart
      .getByRole("figure")
      .getByRole("link")
      .evaluateAll((links) => links.map((l) => l.getAttribute("aria-label") ?? ""));
  // The charts are drawn in the browser once their width is known (and redrawn when it settles).
  let labels: string[] = [];
  await expect
    .poll(async () => {
      const before = labels;
      labels = await read();
      return labels.length > 0 && JSON.stringify(labels) === JSON.stringify(before);
    })
    .toBe(true);
  return labels;
}

async function tableRows(chart: Locator): Promise<string[][]> {
  await chart.getByRole("button", { name: "表格" }).click();
  const rows = chart.getByRole("table").getByRole("row");
  await expect(rows.first()).toBeVisible();
  const all = await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => (c.textContent ?? "").trim())),
  );
  return all.slice(1);
}

test("a marketer's overview shows the simulator's real people, duplicated follows and no-UnionID follows", async ({
  page,
}) => {
  const truth = await simTruth();
  await signIn(page, "marketer");
  await page.goto("/overview");
  const unique = truth.uniquePeople + truth.followersWithoutUnionid;
  expect(await figure(page, "unique")).toBe(unique);
  expect(await figure(page, "summed")).toBe(truth.summedFollows);
  expect(await figure(page, "duplicates")).toBe(truth.summedFollows - unique);
  expect(await figure(page, "noUnionid")).toBe(truth.followersWithoutUnionid);
  await expect(page.getByText(/个来自未绑定开放平台的公众号/)).toBeVisible();
  await expect(page.getByText("暂定")).toHaveCount(0);
});

test("the histogram's table view matches its bars and the truth, and a bar opens exactly those people", async ({
  page,
}) => {
  const truth = await simTruth();
  const expected: Record<string, number> = { ...truth.accountsPerPerson };
  expected["1"] = (expected["1"] ?? 0) + truth.followersWithoutUnionid;
  await signIn(page, "marketer");
  await page.goto("/overview");
  const chart = page.getByRole("region", { name: "按关注公众号数量分布" });
  const bars = await chartLinks(chart);
  const fromBars = Object.fromEntries(
    bars.map((label) => {
      const [, k, n] = /^(\d+) 个公众号：([\d,]+) 人$/.exec(label)!;
      return [k!, digits(n!)];
    }),
  );
  expect(fromBars).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
  const fromTable = Object.fromEntries(
    (await tableRows(chart)).map(([bucket, people]) => [String(digits(bucket!)), digits(people!)]),
  );
  expect(fromTable).toEqual(fromBars);

  // The CSV holds the same numbers (unformatted).
  const download = page.waitForEvent("download");
  await chart.getByRole("button", { name: "下载 按关注公众号数量分布 的 CSV" }).click();
  const csv = await readFile((await (await download).path())!, "utf8");
  const lines = csv
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(lines[0]).toBe("关注公众号数,人数,占真实人数");
  expect(
    Object.fromEntries(
      lines
        .slice(1)
        .map((l) => l.split(",").slice(0, 2))
        .map(([k, n]) => [String(digits(k!)), Number(n)]),
    ),
  ).toEqual(fromBars);

  await chart.getByRole("button", { name: "图表" }).click();
  await chart.getByRole("link", { name: /^2 个公众号：/ }).click();
  await expect(page).toHaveURL(/\/people\?min=2&max=2$/);
  await expect(page.getByText(`共 ${fromBars["2"]!.toLocaleString("zh-CN")} 人匹配`)).toBeVisible();
});

test("the overlap matrix and the exclusive/shared bars agree with their tables and open the matching people", async ({
  page,
}) => {
  await signIn(page, "admin");
  await page.goto("/overview");
  const matrix = page.getByRole("region", { name: "公众号之间的重叠" });
  const cells = (await chartLinks(matrix))
    .map((label) => /^(.+) 与 (.+)：([\d,]+) 人，/.exec(label))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, a, b, n]) => [`${a} × ${b}`, digits(n!)] as const);
  expect(cells.length).toBe(6);
  const rows = (await tableRows(matrix)).map(([pair, people]) => [pair!, digits(people!)] as const);
  expect(rows).toEqual(cells);

  const [pair, shared] = cells.find(([, n]) => n > 0)!;
  await matrix.getByRole("button", { name: "图表" }).click();
  await matrix.getByRole("link", { name: new RegExp(`^${pair.replace(" × ", " 与 ")}：`) }).click();
  await expect(page).toHaveURL(/\/people\?acc=wx\w+%2Cwx\w+&match=all$/);
  await expect(page.getByText(`共 ${shared.toLocaleString("zh-CN")} 人匹配`)).toBeVisible();

  await page.goBack();
  const accounts = page.getByRole("region", { name: "各公众号独有与共享关注者" });
  const exclusive = (await chartLinks(accounts))
    .map((label) => /^(.+) 独有：([\d,]+) 人$/.exec(label))
    .filter((m): m is RegExpExecArray => m !== null);
  // Bars of 0 are not links; the table lists every account.
  const table = (await tableRows(accounts)).filter(([, n]) => digits(n!) > 0);
  expect(exclusive.map(([, name, n]) => [name, digits(n!)])).toEqual(
    table.map(([name, n]) => [name, digits(n!)]),
  );
  await accounts.getByRole("button", { name: "图表" }).click();
  const [label, name, count] = exclusive[0]!;
  await accounts.getByRole("link", { name: label }).click();
  await expect(page).toHaveURL(/\/people\?acc=wx\w+&min=1&max=1$/);
  await expect(page.getByText(`共 ${digits(count!).toLocaleString("zh-CN")} 人匹配`)).toBeVisible();
  expect(name).toBeTruthy();
});

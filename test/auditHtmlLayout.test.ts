/**
 * The HTML audit as people read it: printed to PDF for an auditor, and opened on a phone. Both are
 * checked in Debian's headless Chromium (/usr/bin/chromium, which .ci/run installs) through
 * playwright-core, on the page `pico-monitoring audit --format html` writes. Layout is the browser's
 * business, so only a browser can say whether a column is cut off or a table overflows.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { repoRoot, runCli } from "./support/cli.js";

const at = "2027-01-10T12:00:00Z";
let tmp: string;
let page: string;
let browser: Browser;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "pico-audit-layout-"));
  // A tight limit makes every example customer fail, so the page holds findings, long ids and FAIL cells.
  writeFileSync(join(tmp, "tight.json"), JSON.stringify({ "max-ten-alerts": { maxAlerts: 1 } }));
  // The example customers, and one with approved maintenance windows: their table lays out like the others.
  const customers = [...customerIdsIn(join(repoRoot, "stacks")), "test/fixtures/maintenance/skagen.yaml"];
  const r = runCli([
    "audit",
    "--at",
    at,
    "--policy-config",
    join(tmp, "tight.json"),
    "--format",
    "html",
    "--out",
    join(tmp, "report"),
    ...customers,
  ]);
  expect(r.code, r.stderr).toBe(1);
  page = `file://${join(tmp, "report", "audit.html")}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    // This machine's network is closed: without these Chromium keeps trying Google's hosts.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Elements that reach past the right edge of the content box, with their text, for the failure message. */
const overflowing = () =>
  [...document.querySelectorAll("body *")]
    .filter((el) => {
      // Content inside a box that scrolls on its own does not widen the page.
      if (el.closest(".wide") && getComputedStyle(el.closest(".wide")!).overflowX === "auto" && !el.classList.contains("wide"))
        return false;
      return el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5;
    })
    .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? "").slice(0, 60)}`);

describe("the HTML audit in headless Chromium", () => {
  it("at phone width (375 px) the page never scrolls sideways; a wide table scrolls in its own box", async () => {
    const p = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await p.goto(page);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await p.evaluate(overflowing)).toEqual([]);
    // The policies table is wider than a phone: it is the box that scrolls.
    const box = await p.evaluate(() => {
      const wide = document.querySelector(".wide")!;
      return { scroll: wide.scrollWidth, client: wide.clientWidth, overflowX: getComputedStyle(wide).overflowX };
    });
    expect(box.overflowX).toBe("auto");
    await p.close();
  });

  it("printed to A4, every table fits the page: the last policy column is there", async () => {
    const p = await browser.newPage();
    await p.goto(page);
    await p.emulateMedia({ media: "print" });
    // A4 less the @page margins, in CSS pixels (96 per inch): what the PDF lays out into.
    const width = Math.floor(((210 - 2 * 14) / 25.4) * 96);
    await p.setViewportSize({ width, height: 1100 });
    expect(await p.evaluate(overflowing)).toEqual([]);
    const lastColumn = await p.evaluate(() => {
      const ths = [...document.querySelectorAll("table")[0]!.querySelectorAll("thead th")];
      const last = ths[ths.length - 1]!;
      return { text: last.textContent, right: last.getBoundingClientRect().right, page: document.documentElement.clientWidth };
    });
    expect(lastColumn.text).toMatch(/mandatory|advisory/);
    expect(lastColumn.right).toBeLessThanOrEqual(lastColumn.page + 0.5);
    await p.close();
  });

  it("printed to PDF, no page ends with a heading whose section starts on the next page", async () => {
    const p = await browser.newPage();
    await p.goto(page);
    const headings = (
      await p.evaluate(() => [...document.querySelectorAll("h1, h2, h3, summary")].map((h) => h.textContent!.trim()))
    ).filter((h) => h.length > 0);
    expect(headings.length).toBeGreaterThan(10);
    const pdf = join(tmp, "audit.pdf");
    writeFileSync(pdf, await p.pdf({ preferCSSPageSize: true }));
    await p.close();
    // Poppler's pdftotext (Debian's poppler-utils) separates pages with a form feed.
    const pages = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" })
      .split("\f")
      .filter((t) => t.trim());
    expect(pages.length).toBeGreaterThan(1);
    const endsWithHeading = pages.slice(0, -1).flatMap((text, i) => {
      const lines = text
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const last = lines[lines.length - 1] ?? "";
      return headings.includes(last) ? [`page ${i + 1} ends with '${last}'`] : [];
    });
    expect(endsWithHeading).toEqual([]);
  });
});

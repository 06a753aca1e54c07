// The report page in a real browser: a report from a real SQLite store, rendered, opened from a file in
// headless Chromium. No request leaves the page, the chart is really drawn, the text is the report's exact
// strings, and hostile names stay text.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { addDecimals, sumCosts } from "@genledger/normalize";
import { openStore, type Report, type ReportQuery } from "@genledger/store";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headlessChromium } from "../../../test-utils/chromium.js";
import { generation } from "../../store/test/engines.js";
import { maxSeries, otherColour, palette, renderReportHtml } from "./report-html.js";

type Generation = ReturnType<typeof generation>;

let browser: Browser;
let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "genledger-report-html-"));
  browser = await chromium.launch(await headlessChromium());
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A report as `genledger report` makes it: records put into a new SQLite store, then grouped by it. */
async function reportOf(records: Generation[], query: ReportQuery): Promise<Report> {
  const store = await openStore(join(dir, `store-${++n}.db`));
  try {
    if (records.length) await store.put(records.map((g) => ({ generation: g })));
    return await store.report(query);
  } finally {
    await store.close();
  }
}

interface Opened {
  page: Page;
  url: string;
  /** Every request the page made, and how many of them were http(s) and so aborted. */
  requests: string[];
  aborted: () => number;
  dialogs: string[];
}

async function open(html: string): Promise<Opened> {
  const file = join(dir, `report-${++n}.html`);
  await writeFile(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  let aborted = 0;
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route(/^https?:/, (route) => {
    aborted++;
    return route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, aborted: () => aborted, dialogs };
}

/** The page asked for nothing but itself. */
function expectNoNetwork(opened: Opened): void {
  expect(opened.requests).toEqual([opened.url]);
  expect(opened.aborted()).toBe(0);
}

/** The table as the page shows it: each row's key cells and figure cells, by their data attributes. */
async function tableOf(page: Page) {
  return page.$$eval("table tr[data-row]", (trs) =>
    trs.map((tr) => ({
      row: tr.getAttribute("data-row"),
      key: Object.fromEntries(
        [...tr.querySelectorAll("[data-key]")].map((c) => [c.getAttribute("data-key"), c.textContent]),
      ),
      fields: Object.fromEntries(
        [...tr.querySelectorAll("[data-field]")].map((c) => [c.getAttribute("data-field"), c.textContent]),
      ),
    })),
  );
}

/** What the table must hold: the serialised report's own strings, byte for byte. */
function expectedTable(json: Report) {
  const fields = (t: Report["total"]) => ({
    count: String(t.count),
    pending: String(t.pending),
    ...Object.fromEntries(Object.entries(t.cost).map(([c, amount]) => [`cost:${c}`, amount])),
    ...Object.fromEntries(Object.entries(t.tokens).map(([k, v]) => [`tokens:${k}`, String(v)])),
  });
  return [
    ...json.rows.map((r, i) => ({
      row: String(i),
      key: Object.fromEntries(json.by.map((k) => [k, r.key[k] ?? "(none)"])),
      fields: fields(r),
    })),
    { row: "total", key: {}, fields: fields(json.total) },
  ];
}

/** How many pixels of a PNG are within a small distance of each colour, counted by the browser's decoder. */
async function pixelsOf(png: Buffer, colours: string[]): Promise<number[]> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ data, colours }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext("2d") as CanvasRenderingContext2D;
        context.drawImage(img, 0, 0);
        const { data: px } = context.getImageData(0, 0, canvas.width, canvas.height);
        const rgb = colours.map((c) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16)));
        const counts = rgb.map(() => 0);
        for (let i = 0; i < px.length; i += 4) {
          rgb.forEach(([r, g, b], j) => {
            const d = Math.abs(px[i]! - r!) + Math.abs(px[i + 1]! - g!) + Math.abs(px[i + 2]! - b!);
            if (d <= 12) counts[j]!++;
          });
        }
        return counts;
      },
      { data: png.toString("base64"), colours },
    );
  } finally {
    await page.close();
  }
}

const gpt = "openai/gpt-4o";
const claude = "anthropic/claude-sonnet-4";
const days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];

/** Amounts of 22 to 25 significant digits, so that any float on the way would show. */
const amount = (i: number) =>
  `${1000 + ((i * 379) % 900)}.${`${(i * 7919 + 1234567) % 10 ** 9}`.padStart(9, "0")}${"123456789012".slice(0, 9 + (i % 4))}`;

/** GPT in USD every day; Claude in USD most days and in EUR on two; two records a group; one pending. */
function records(): Generation[] {
  const out: Generation[] = [];
  let i = 0;
  days.forEach((day, d) => {
    const groups: [string, string][] = [[gpt, "USD"]];
    if (d !== 2) groups.push([claude, "USD"]);
    if (d === 1 || d === 2) groups.push([claude, "EUR"]);
    for (const [model, currency] of groups) {
      for (let k = 0; k < 2; k++) {
        const hour = String(8 + k * 5).padStart(2, "0");
        out.push(
          generation(`gen-${i}`, {
            model,
            currency,
            amount: amount(i),
            createdAt: `${day}T${hour}:00:00.000Z`,
            // One record waits for its final billing.
            ...(i === 5 && { billing: "pending" as const }),
          }),
        );
        i++;
      }
    }
  });
  return out;
}

describe("genledger report --format html in a browser", () => {
  it("draws cost per day per model, one chart per currency, and shows the report's exact figures", async () => {
    const put = records();
    const report = await reportOf(put, { by: ["day", "model"] });
    const json = JSON.parse(JSON.stringify(report)) as Report;
    // The report itself is exact: what the page must show.
    expect(report.total.cost).toEqual(sumCosts(put));
    expect(report.total.pending).toBe(1);
    expect(Object.values(report.total.cost).every((a) => a.replace(/\D/g, "").length >= 20)).toBe(true);

    const opened = await open(renderReportHtml(report, { generatedAt: new Date("2026-11-06T09:30:00Z") }));
    const { page } = opened;
    try {
      expect(await page.title()).toBe("genledger report");
      expect(await page.locator("time").textContent()).toBe("2026-11-06T09:30:00.000Z");

      // The table, every row and the total, is the report's strings.
      expect(await tableOf(page)).toEqual(expectedTable(json));
      // A currency a group has no amount in is no figure, not a zero.
      expect(await page.locator('tr[data-row="0"] td.none').count()).toBeGreaterThan(0);
      // The JSON embedded in the page is the report.
      expect(JSON.parse((await page.locator("#genledger-report").textContent()) ?? "")).toEqual(json);
      // Pending apart, and the queue.
      expect(await page.locator('.pending [data-total="pending"]').textContent()).toBe("1");
      expect(await page.locator('.pending [data-total="count"]').textContent()).toBe(String(json.total.count));
      for (const [k, v] of Object.entries(json.queue)) {
        expect(await page.locator(`[data-queue="${k}"]`).textContent()).toBe(String(v));
      }
      expect(json.queue.waiting).toBe(1);

      // One chart per currency, each with its series drawn and named in the legend.
      const charts = page.locator("figure.chart");
      expect(await charts.evaluateAll((fs) => fs.map((f) => f.getAttribute("data-currency")))).toEqual(["EUR", "USD"]);
      const expected = { EUR: [claude], USD: [claude, gpt] };
      const colours = new Map<string, string>();
      for (const [currency, models] of Object.entries(expected)) {
        const chart = page.locator(`figure.chart[data-currency="${currency}"] svg.plot.wide`);
        const series = chart.locator("g.series");
        expect((await series.evaluateAll((gs) => gs.map((g) => g.getAttribute("data-series")))).sort()).toEqual(models);
        expect(await page.locator(`figure.chart[data-currency="${currency}"] .legend li`).allTextContents()).toEqual(
          expect.arrayContaining(models),
        );
        // Five days of two models: stacked bars, not lines.
        expect(await chart.locator("polyline").count()).toBe(0);
        for (const model of models) {
          const bars = chart.locator(`g.series[data-series="${model}"] rect`);
          const colour = (await bars.first().getAttribute("fill")) as string;
          expect(colour).toMatch(/^#[0-9a-f]{6}$/);
          // The same model keeps its colour in both charts.
          expect(colours.get(model) ?? colour).toBe(colour);
          colours.set(model, colour);
          // A bar a day for GPT; for Claude, the days it has an amount in this currency.
          expect(await bars.count()).toBe(currency === "EUR" ? 2 : model === gpt ? 5 : 4);
          expect((await bars.first().boundingBox())?.height).toBeGreaterThan(0);
        }
        expect(await chart.locator("text.title").allTextContents()).toEqual([`cost (${currency})`, "day"]);

        const png = await chart.screenshot();
        await writeFile(join(tmpdir(), `genledger-report-chart-${currency}.png`), png);
        const counts = await pixelsOf(
          png,
          models.map((m) => colours.get(m) as string),
        );
        for (const count of counts) expect(count).toBeGreaterThan(30);
      }
      expect(new Set(colours.values()).size).toBe(2);
      // The pending record's bar is outlined dashed.
      expect(await page.locator('figure.chart[data-currency="USD"] svg.plot.wide rect[stroke-dasharray]').count()).toBe(
        1,
      );
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("shows hostile names and titles as text and runs nothing", async () => {
    const hostile = ["<img src=x onerror=alert(1)>", "</script><script>window.__pwned=1;alert(2)</script>"];
    const put = hostile.flatMap((model, i) => [
      generation(`h-${i}`, { model, amount: amount(i), createdAt: "2026-11-01T10:00:00Z" }),
      generation(`h-${i}-b`, { model, amount: amount(i + 7), createdAt: "2026-11-02T10:00:00Z" }),
    ]);
    const report = await reportOf(put, { by: ["day", "model"] });
    const title = `</title><script>window.__pwned=1;alert(3)</script>"'&`;
    const html = renderReportHtml(report, { title });
    expect(html.split("<script").length - 1).toBe(1);
    const opened = await open(html);
    const { page } = opened;
    try {
      expect(await page.title()).toBe(title);
      expect(await page.locator("h1").textContent()).toBe(title);
      const models = await page.locator('th[data-key="model"]').allTextContents();
      expect(models.sort()).toEqual([...hostile, ...hostile].sort());
      expect((await page.locator(".legend li").allTextContents()).sort()).toEqual([...hostile].sort());
      expect(await page.locator("g.series").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-series")))).toEqual(
        expect.arrayContaining(hostile),
      );
      expect(await page.locator("img").count()).toBe(0);
      expect(await page.locator("script").count()).toBe(1);
      expect(JSON.parse((await page.locator("#genledger-report").textContent()) ?? "")).toEqual(
        JSON.parse(JSON.stringify(report)),
      );
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(opened.dialogs).toEqual([]);
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says "no records" for an empty report', async () => {
    const report = await reportOf([], { by: ["day", "model"] });
    expect(report.rows).toEqual([]);
    const opened = await open(renderReportHtml(report));
    const { page } = opened;
    try {
      expect(await page.locator(".empty").textContent()).toBe("no records");
      expect(await page.locator("svg.plot").count()).toBe(0);
      expect(await page.locator('[data-queue="waiting"]').textContent()).toBe("0");
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("draws a bar per group when no key is a time", async () => {
    const put = records();
    const report = await reportOf(put, { by: ["model"] });
    const json = JSON.parse(JSON.stringify(report)) as Report;
    const opened = await open(renderReportHtml(report));
    const { page } = opened;
    try {
      expect(await tableOf(page)).toEqual(expectedTable(json));
      const usd = page.locator('figure.chart[data-currency="USD"] svg.plot.wide');
      expect(await page.locator("polyline").count()).toBe(0);
      const bars = usd.locator("g.series rect");
      expect(await usd.locator("g.series").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-series")))).toEqual([
        claude,
        gpt,
      ]);
      const colours: string[] = [];
      for (let i = 0; i < 2; i++) {
        const box = await bars.nth(i).boundingBox();
        expect(box?.width).toBeGreaterThan(0);
        expect(box?.height).toBeGreaterThan(0);
        colours.push((await bars.nth(i).getAttribute("fill")) as string);
      }
      expect(new Set(colours).size).toBe(2);
      const png = await usd.screenshot();
      await writeFile(join(tmpdir(), "genledger-report-bars-USD.png"), png);
      for (const count of await pixelsOf(png, colours)) expect(count).toBeGreaterThan(30);
      expect(await page.locator('figure.chart[data-currency="EUR"] svg.plot.wide g.series rect').count()).toBe(1);
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 60_000);

  /** 60 days of 6 models, and 14 customers over 9 weeks: the data that drew spaghetti lines. */
  function busy(): Generation[] {
    const models = ["m-alpha", "m-beta", "m-gamma", "m-delta", "m-epsilon", "m-zeta"];
    const out: Generation[] = [];
    for (let d = 0; d < 60; d++) {
      const day = new Date(Date.UTC(2026, 8, 1 + d)).toISOString().slice(0, 10);
      models.forEach((model, m) => {
        if ((d + m) % 7 === 3) return;
        out.push(
          generation(`b-${d}-${m}`, {
            model,
            amount: `${(m + 1) * 0.37 + (d % 5) * 0.11}`,
            createdAt: `${day}T10:00:00Z`,
          }),
        );
      });
    }
    return out;
  }

  it("draws 60 days x 6 models as stacked bars, in colours that stay distinct, at 420, 1008 and 1440 px", async () => {
    const report = await reportOf(busy(), { by: ["day", "model"] });
    const opened = await open(renderReportHtml(report));
    const { page } = opened;
    try {
      expect(await page.locator("polyline").count()).toBe(0);
      for (const width of [420, 1008, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        const plot = page.locator(`figure.chart[data-currency="USD"] svg.plot:visible`);
        expect(await plot.count()).toBe(1);
        const series = await plot.locator("g.series").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-series")));
        expect(series).toHaveLength(6);
        // Text keeps a readable size however narrow the page: at least 9 px tall as drawn.
        const smallest = await plot
          .locator("text")
          .evaluateAll((ts) => Math.min(...ts.map((t) => t.getBoundingClientRect().height)));
        expect(smallest, `axis labels at ${width} px`).toBeGreaterThanOrEqual(9);
        // Nothing of the page runs past its width; the table fits its container, or scrolls inside it.
        const overflow = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth - window.innerWidth,
          table: (document.querySelector(".table table") as HTMLElement).scrollWidth,
          box: (document.querySelector(".table") as HTMLElement).clientWidth,
        }));
        expect(overflow.page, `page overflow at ${width} px`).toBeLessThanOrEqual(0);
        if (width >= 1008) expect(overflow.table, `table at ${width} px`).toBeLessThanOrEqual(overflow.box);
        const colours = await plot
          .locator("g.series")
          .evaluateAll((gs) => gs.map((g) => g.querySelector("rect")?.getAttribute("fill") as string));
        const png = await plot.screenshot();
        await writeFile(join(tmpdir(), `genledger-report-busy-${width}.png`), png);
        for (const [i, count] of (await pixelsOf(png, colours)).entries()) {
          expect(count, `${series[i]} at ${width} px`).toBeGreaterThan(20);
        }
      }
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("names the 7 customers with the most records and sums the other 7 exactly as one", async () => {
    const put: Generation[] = [];
    for (let c = 0; c < 14; c++) {
      for (let w = 0; w < 9; w++) {
        for (let k = 0; k <= 14 - c; k++) {
          const day = new Date(Date.UTC(2026, 9, 5 + w * 7 + (k % 5))).toISOString().slice(0, 10);
          put.push(generation(`c-${c}-${w}-${k}`, { amount: "0.1", createdAt: `${day}T09:00:00Z` }));
        }
      }
    }
    const store = await openStore(join(dir, `store-${++n}.db`));
    let report: Report;
    try {
      await store.put(put.map((g) => ({ generation: g, tags: { customer: `customer-${g.id.split("-")[1]}` } })));
      report = await store.report({ by: ["tag:customer", "week"] });
    } finally {
      await store.close();
    }
    const opened = await open(renderReportHtml(report));
    const { page } = opened;
    try {
      const plot = page.locator('figure.chart[data-currency="USD"] svg.plot.wide');
      const series = await plot.locator("g.series").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-series")));
      expect(series).toEqual([...Array.from({ length: 7 }, (_, c) => `customer-${c}`), "other (7 more)"]);
      const fills = await plot
        .locator("g.series")
        .evaluateAll((gs) => gs.map((g) => g.querySelector("rect")?.getAttribute("fill")));
      expect(new Set(fills).size).toBe(8);
      // "other" in a week is the exact sum of the seven customers it holds, as its tooltip says.
      const otherTip = await plot.locator('g.series[data-series="other (7 more)"] rect title').first().textContent();
      const week = report.rows.find((r) => r.key["tag:customer"] === "customer-7")?.key.week;
      const expected = report.rows
        .filter((r) => r.key.week === week && Number(r.key["tag:customer"]?.split("-")[1]) >= 7)
        .map((r) => r.cost.USD as string);
      expect(otherTip).toBe(`other (7 more), ${week}: ${expected.reduce((a, b) => addDecimals(a, b))} USD`);
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("draws two months as two bars, not a two-point line", async () => {
    const report = await reportOf(busy(), { by: ["month"] });
    const opened = await open(renderReportHtml(report));
    const { page } = opened;
    try {
      const plot = page.locator('figure.chart[data-currency="USD"] svg.plot.wide');
      expect(await plot.locator("polyline").count()).toBe(0);
      expect(await plot.locator("g.series rect").count()).toBe(2);
      expectNoNetwork(opened);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("keeps its palette's colours apart: no two closer than a clear step in CIELAB", () => {
    const lab = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (841 / 108) * t + 4 / 29);
      const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
      const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
      const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
      return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
    };
    const colours = [...palette, otherColour];
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) {
        const [a, b] = [lab(colours[i] as string), lab(colours[j] as string)];
        const distance = Math.hypot(...a.map((v, k) => v - (b[k] as number)));
        expect(distance, `${colours[i]} and ${colours[j]}`).toBeGreaterThan(25);
      }
    }
    expect(maxSeries).toBe(7);
  });
});

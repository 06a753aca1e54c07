// genledger report --format html: one self-contained page. The charts are SVG drawn here, so the page needs
// no script, font or request; its CSP forbids them all. Every number in the text is the report's own string:
// amounts become floats only for drawing, and different currencies are never added.
import { addDecimals } from "@genledger/normalize";
import type { Report, ReportRow, ReportTotals } from "@genledger/store";
import { basisNote } from "./text.js";

export interface ReportHtmlOptions {
  /** The page's title and heading; "genledger report" by default. */
  title?: string;
  /** Shown as when the page was made; now by default. */
  generatedAt?: Date;
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe as HTML element content and as a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] as string);
}

const timeKeys: readonly string[] = ["day", "week", "month"];
const axisNames: Record<string, string> = { day: "day", week: "week (starting Monday)", month: "month" };
/**
 * Seven hues no two of which are near (Okabe and Ito's, for every kind of colour vision), then grey for
 * "other": a chart shows at most `maxSeries` series, the rest summed as one.
 */
export const palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442"];
export const otherColour = "#9a9a9a";
export const maxSeries = palette.length;
const colour = (i: number) => palette[i] ?? otherColour;
const shown = (value: string | null | undefined) => value ?? "(none)";
const px = (n: number) => String(Math.round(n * 10) / 10);

interface Series {
  label: string;
  colour: string;
}

/** A series' amount at each time value; none where it has no row then. */
interface Line {
  series: Series;
  points: (Part | undefined)[];
}

/** A JSON data block: `<` escaped so that no value (a model named `</script>`) can end the element. */
function jsonBlock(report: Report): string {
  return `<script type="application/json" id="genledger-report">${JSON.stringify(report).replace(/</g, "\\u003c")}</script>`;
}

/** Round ticks from 0 (or the lowest value) to the highest. */
function scale(values: number[]): { lo: number; hi: number; ticks: number[] } {
  let lo = values.reduce((a, b) => Math.min(a, b), 0);
  let hi = values.reduce((a, b) => Math.max(a, b), 0);
  if (lo === hi) hi = lo + 1;
  const rough = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step / 1e6; i++) ticks.push(lo + i * step);
  return { lo, hi, ticks };
}

// Tick labels are the axis's own round numbers, not amounts: toPrecision drops float noise (0.30000000000000004).
const tickLabel = (t: number) => String(Number(t.toPrecision(12)));

/**
 * Every chart is drawn twice: wide, and narrow for a small screen, which CSS picks between (the page runs no
 * script): text keeps its size on a phone instead of shrinking with the drawing.
 */
const frames = [
  { name: "wide", width: 760, label: 84, left: 200, cut: 28 },
  { name: "narrow", width: 380, label: 60, left: 112, cut: 14 },
] as const;
type Frame = (typeof frames)[number];
const margin = { top: 16, right: 16, bottom: 52, left: 76 };

/** One series' amount in one place (a time value, or the whole group). */
interface Part {
  series: Series;
  amount: string;
  pending: number;
}

const tip = (label: string, at: string | null, p: Part, currency: string) =>
  `<title>${escapeHtml(`${label}${at === null ? "" : `, ${at}`}: ${p.amount} ${currency}${p.pending > 0 ? ` (${p.pending} not final)` : ""}`)}</title>`;

/** Cost over a long time of a few series: a line each, a point per time value; hollow where not final. */
function lineChart(frame: Frame, currency: string, axis: string, times: (string | null)[], lines: Line[]): string {
  const height = 320;
  const plotW = frame.width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  // A time value a series has no row for: no records then, so nothing spent.
  const value = (p: { amount: string } | undefined) => (p ? Number(p.amount) : 0);
  const y = scale(lines.flatMap((l) => l.points.map(value)));
  const xAt = (i: number) => margin.left + ((i + 0.5) * plotW) / times.length;
  const yAt = (v: number) => margin.top + plotH - ((v - y.lo) / (y.hi - y.lo)) * plotH;
  const series = lines
    .map(({ series: s, points }) => {
      const xy = points.map((p, i) => `${px(xAt(i))},${px(yAt(value(p)))}`).join(" ");
      const dots = points
        .map((p, i) =>
          p
            ? `<circle cx="${px(xAt(i))}" cy="${px(yAt(value(p)))}" r="4" fill="${p.pending > 0 ? "#fff" : s.colour}" stroke="${s.colour}" stroke-width="2">${tip(s.label, shown(times[i]), p, currency)}</circle>`
            : "",
        )
        .join("");
      return `<g class="series" data-series="${escapeHtml(s.label)}"><polyline points="${xy}" fill="none" stroke="${s.colour}" stroke-width="2.5" stroke-linejoin="round"/>${dots}</g>`;
    })
    .join("");
  return svg(
    frame,
    currency,
    height,
    `${axes(frame, y, yAt, height, currency)}${xLabels(frame, times, xAt, height)}${xTitle(frame, axis, height)}${series}`,
  );
}

/** Cost per time value, each a bar of its series stacked (refunds below zero); dashed where not final. */
function stackedChart(
  frame: Frame,
  currency: string,
  axis: string,
  times: (string | null)[],
  columns: Part[][],
): string {
  const height = 320;
  const plotW = frame.width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const sums = columns.flatMap((parts) => [
    parts.reduce((a, p) => a + Math.max(0, Number(p.amount)), 0),
    parts.reduce((a, p) => a + Math.min(0, Number(p.amount)), 0),
  ]);
  const y = scale(sums);
  const band = plotW / times.length;
  const yAt = (v: number) => margin.top + plotH - ((v - y.lo) / (y.hi - y.lo)) * plotH;
  const bySeries = new Map<string, { series: Series; rects: string[] }>();
  columns.forEach((parts, i) => {
    let up = 0;
    let down = 0;
    const x = margin.left + i * band + band * 0.15;
    for (const p of parts) {
      const v = Number(p.amount);
      const from = v >= 0 ? up : down;
      const to = from + v;
      if (v >= 0) up = to;
      else down = to;
      const top = yAt(Math.max(from, to));
      const h = Math.max(Math.abs(yAt(from) - yAt(to)), 0.5);
      const entry = bySeries.get(p.series.label) ?? { series: p.series, rects: [] };
      entry.rects.push(
        `<rect x="${px(x)}" y="${px(top)}" width="${px(Math.max(band * 0.7, 1))}" height="${px(h)}" fill="${p.series.colour}"${p.pending > 0 ? ` stroke="#333" stroke-dasharray="3 2"` : ""}>${tip(p.series.label, shown(times[i]), p, currency)}</rect>`,
      );
      bySeries.set(p.series.label, entry);
    }
  });
  const body = [...bySeries.values()]
    .map(({ series: s, rects }) => `<g class="series" data-series="${escapeHtml(s.label)}">${rects.join("")}</g>`)
    .join("");
  const xAt = (i: number) => margin.left + (i + 0.5) * band;
  return svg(
    frame,
    currency,
    height,
    `${axes(frame, y, yAt, height, currency)}${xLabels(frame, times, xAt, height)}${xTitle(frame, axis, height)}${body}`,
  );
}

/** Cost per group when there is no time to plot against: one horizontal bar per group. */
function barChart(frame: Frame, currency: string, bars: Part[]): string {
  const row = 28;
  const left = frame.left;
  const height = margin.top + bars.length * row + margin.bottom;
  const plotW = frame.width - left - margin.right;
  const x = scale(bars.map((b) => Number(b.amount)));
  const xAt = (v: number) => left + ((v - x.lo) / (x.hi - x.lo)) * plotW;
  const every = Math.ceil(x.ticks.length / Math.max(1, Math.floor(plotW / frame.label)));
  const grid = x.ticks
    .map(
      (t, i) =>
        `<line x1="${px(xAt(t))}" x2="${px(xAt(t))}" y1="${margin.top}" y2="${height - margin.bottom}" class="grid"/>${i % every === 0 ? `<text x="${px(xAt(t))}" y="${height - margin.bottom + 18}" text-anchor="middle">${tickLabel(t)}</text>` : ""}`,
    )
    .join("");
  const body = bars
    .map((p, i) => {
      const { series: s, amount, pending } = p;
      const top = margin.top + i * row + 5;
      const a = xAt(Math.min(0, Number(amount)));
      const b = xAt(Math.max(0, Number(amount)));
      // Long names are cut on the axis; the tooltip and the table have them whole.
      const name = s.label.length > frame.cut ? `${s.label.slice(0, frame.cut - 1)}…` : s.label;
      return `<g class="series" data-series="${escapeHtml(s.label)}"><text x="${left - 8}" y="${top + 13}" text-anchor="end">${escapeHtml(name)}</text><rect x="${px(a)}" y="${top}" width="${px(Math.max(b - a, 1))}" height="${row - 10}" fill="${s.colour}"${pending > 0 ? ` stroke="#333" stroke-dasharray="3 2"` : ""}>${tip(s.label, null, p, currency)}</rect></g>`;
    })
    .join("");
  return svg(
    frame,
    currency,
    height,
    `${grid}<line x1="${px(xAt(0))}" x2="${px(xAt(0))}" y1="${margin.top}" y2="${height - margin.bottom}" class="axis"/>${body}${xTitle(frame, `cost (${currency})`, height)}`,
  );
}

/** The time values' labels: as many as fit without touching, evenly spaced. */
function xLabels(frame: Frame, times: (string | null)[], xAt: (i: number) => number, height: number): string {
  const plotW = frame.width - margin.left - margin.right;
  const every = Math.ceil(times.length / Math.max(1, Math.floor(plotW / frame.label)));
  return times
    .map((t, i) =>
      i % every === 0
        ? `<text x="${px(xAt(i))}" y="${height - margin.bottom + 18}" text-anchor="middle">${escapeHtml(shown(t))}</text>`
        : "",
    )
    .join("");
}

function axes(
  frame: Frame,
  y: { ticks: number[] },
  yAt: (v: number) => number,
  height: number,
  currency: string,
): string {
  const ticks = y.ticks
    .map(
      (t) =>
        `<line x1="${margin.left}" x2="${frame.width - margin.right}" y1="${px(yAt(t))}" y2="${px(yAt(t))}" class="${t === 0 ? "axis" : "grid"}"/><text x="${margin.left - 8}" y="${px(yAt(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`,
    )
    .join("");
  const middle = margin.top + (height - margin.top - margin.bottom) / 2;
  return `${ticks}<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" class="axis"/><text class="title" transform="translate(14 ${px(middle)}) rotate(-90)" text-anchor="middle">cost (${escapeHtml(currency)})</text>`;
}

const xTitle = (frame: Frame, text: string, height: number) =>
  `<text class="title" x="${px(margin.left + (frame.width - margin.left - margin.right) / 2)}" y="${height - 10}" text-anchor="middle">${escapeHtml(text)}</text>`;

const svg = (frame: Frame, currency: string, height: number, content: string) =>
  `<svg class="plot ${frame.name}" viewBox="0 0 ${frame.width} ${height}" width="${frame.width}" height="${height}" role="img" aria-label="${escapeHtml(`cost in ${currency}`)}">${content}</svg>`;

function legend(series: Series[], note: string): string {
  const items = series.map(
    (s) =>
      `<li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" rx="2" fill="${s.colour}"/></svg>${escapeHtml(s.label)}</li>`,
  );
  if (note) items.push(`<li class="note">${note}</li>`);
  return items.length ? `<ul class="legend">${items.join("")}</ul>` : "";
}

/** A long time of few series reads as lines; anything else (a few periods, many series) as stacked bars. */
const asLines = (periods: number, series: number) => periods >= 12 && series <= 3;

/**
 * One chart per unit: amounts in two currencies (or two gateways' credits) are never drawn on one scale.
 * At most `maxSeries` series are named, the groups with the most records, each in its colour in every
 * chart; the rest are summed, exactly, as one "other".
 */
function charts(report: Report, currencies: string[]): string {
  if (currencies.length === 0) return `<p class="empty">no costs recorded yet</p>`;
  const time = report.by.find((k) => timeKeys.includes(k));
  const others = report.by.filter((k) => k !== time);
  // Without a time key, every key names the group: a bar each.
  const idOf = (row: ReportRow) => JSON.stringify(others.map((k) => row.key[k] ?? null));
  const labelOf = (row: ReportRow) =>
    others.length === 0 ? "all records" : others.map((k) => shown(row.key[k])).join(" · ");
  const counts = new Map<string, { label: string; count: number }>();
  for (const row of report.rows) {
    const entry = counts.get(idOf(row)) ?? { label: labelOf(row), count: 0 };
    entry.count += row.count;
    counts.set(idOf(row), entry);
  }
  const ranked = [...counts.entries()].sort(([, a], [, b]) => b.count - a.count || (a.label < b.label ? -1 : 1));
  const named = ranked.length > maxSeries ? ranked.slice(0, maxSeries) : ranked;
  const rest = ranked.length - named.length;
  const series = new Map<string, Series>(named.map(([id, { label }], i) => [id, { label, colour: colour(i) }]));
  const other: Series = { label: `other (${rest} more)`, colour: otherColour };
  const seriesOf = (row: ReportRow) => series.get(idOf(row)) ?? other;
  /** The rows' amounts in `currency`, summed per series (exactly: "other" holds many). */
  const partsOf = (rows: ReportRow[], currency: string): Part[] => {
    const parts = new Map<Series, Part>();
    for (const row of rows) {
      const amount = row.cost[currency];
      if (amount === undefined) continue;
      const s = seriesOf(row);
      const part = parts.get(s);
      if (part) {
        part.amount = addDecimals(part.amount, amount);
        part.pending += row.pending;
      } else parts.set(s, { series: s, amount, pending: row.pending });
    }
    const order = [...series.values(), other];
    return [...parts.values()].sort((a, b) => order.indexOf(a.series) - order.indexOf(b.series));
  };
  return currencies
    .map((currency) => {
      const rows = report.rows.filter((r) => r.cost[currency] !== undefined);
      const caption = `Cost in ${currency}${time ? ` per ${time}` : ""}${others.length ? `, by ${others.join(", ")}` : ""}`;
      const pending = rows.some((r) => r.pending > 0);
      let plots: string;
      let key: string;
      if (time) {
        // Time values as written sort in time order (2026-11-03, 2026-11); a record without one goes last.
        const times = [...new Set(report.rows.map((r) => r.key[time] ?? null))].sort((a, b) =>
          a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1,
        );
        const columns = times.map((t) =>
          partsOf(
            rows.filter((r) => (r.key[time] ?? null) === t),
            currency,
          ),
        );
        const drawn = [...new Set(columns.flatMap((c) => c.map((p) => p.series)))];
        const axis = axisNames[time] ?? time;
        if (asLines(times.length, drawn.length)) {
          const lines = drawn.map((s) => ({
            series: s,
            points: columns.map((c) => c.find((p) => p.series === s)),
          }));
          plots = frames.map((f) => lineChart(f, currency, axis, times, lines)).join("");
          key = legend(drawn, pending ? "hollow point: the group has records not final yet" : "");
        } else {
          plots = frames.map((f) => stackedChart(f, currency, axis, times, columns)).join("");
          key = legend(drawn, pending ? "dashed outline: the group has records not final yet" : "");
        }
      } else {
        const bars = partsOf(rows, currency);
        plots = frames.map((f) => barChart(f, currency, bars)).join("");
        // The bars are named on the axis: the legend only explains the dashed outline.
        key = legend([], pending ? "dashed outline: the group has records not final yet" : "");
      }
      return `<figure class="chart" data-currency="${escapeHtml(currency)}"><figcaption>${escapeHtml(caption)}</figcaption>${plots}${key}</figure>`;
    })
    .join("\n");
}

const tokenColumns = [
  ["input", "input tokens"],
  ["output", "output tokens"],
  ["reasoning", "reasoning tokens"],
  ["cachedInput", "cached input tokens"],
  ["total", "total tokens"],
] as const;

/** The figures: a `data-field` on each cell, holding the report's string as it is. */
function cells(row: ReportTotals, currencies: string[]): string {
  const cell = (field: string, text: string) => `<td data-field="${escapeHtml(field)}">${escapeHtml(text)}</td>`;
  return [
    cell("count", String(row.count)),
    cell("pending", String(row.pending)),
    // No amount in a currency is no figure at all, not a zero the report never gave.
    // (A group whose records are all pending says so, as the command's table does.)
    ...currencies.map((c) =>
      row.cost[c] === undefined
        ? `<td class="none">${row.pending > 0 && Object.keys(row.cost).length === 0 ? "(pending)" : "—"}</td>`
        : cell(`cost:${c}`, row.cost[c]),
    ),
    ...tokenColumns.map(([k]) => cell(`tokens:${k}`, String(row.tokens[k]))),
  ].join("");
}

function table(report: Report, currencies: string[]): string {
  const keyColumns = report.by.length ? report.by : ["group"];
  const head = [
    ...keyColumns.map((k) => `<th scope="col" class="key">${escapeHtml(k)}</th>`),
    ...["count", "pending", ...currencies.map((c) => `cost ${c}`), ...tokenColumns.map(([, name]) => name)].map(
      (h) => `<th scope="col">${escapeHtml(h)}</th>`,
    ),
  ].join("");
  const body = report.rows
    .map((row, i) => {
      const keys = report.by.length
        ? report.by
            .map((k) => {
              const v = row.key[k] ?? null;
              return `<th scope="row" data-key="${escapeHtml(k)}"${v === null ? ` class="none"` : ""}>${escapeHtml(shown(v))}</th>`;
            })
            .join("")
        : `<th scope="row">all records</th>`;
      return `<tr data-row="${i}"${row.pending > 0 ? ` class="has-pending"` : ""}>${keys}${cells(row, currencies)}</tr>`;
    })
    .join("\n");
  return `<div class="table"><table>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr data-row="total"><th scope="row" colspan="${keyColumns.length}">total</th>${cells(report.total, currencies)}</tr></tfoot>
</table></div>`;
}

function filters(report: Report): string {
  const parts = [report.by.length ? `grouped by ${report.by.join(", ")}` : "all records together"];
  if (report.since) parts.push(`since ${report.since}`);
  if (report.until) parts.push(`until ${report.until}`);
  const where = Object.entries(report.where).map(([k, v]) => `${k}=${v}`);
  if (where.length) parts.push(`where ${where.join(", ")}`);
  return escapeHtml(parts.join(" · "));
}

const style = `
:root { color-scheme: light; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2329; }
body { margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.meta, .queue, .note, figcaption { color: #56606b; }
.pending { background: #fff6dd; border-left: 4px solid #e0a800; padding: .5rem .75rem; }
figure.chart { margin: 1.5rem 0; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg.plot { max-width: 100%; height: auto; font-size: 11px; fill: #3a434c; display: block; }
svg.plot.narrow { display: none; }
@media (max-width: 640px) {
  body { margin: 1rem auto; }
  svg.plot.wide { display: none; }
  svg.plot.narrow { display: block; }
}
svg.plot .grid { stroke: #e4e7eb; }
svg.plot .axis { stroke: #8a939c; }
svg.plot .title { font-size: 12px; font-weight: 600; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .35rem 1.25rem; margin: .25rem 0 0; }
.legend li { display: flex; align-items: center; gap: .4rem; overflow-wrap: anywhere; }
.table { overflow-x: auto; margin: 1.5rem 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .92rem; }
th, td { padding: .3rem .45rem; border-bottom: 1px solid #e4e7eb; text-align: right; white-space: nowrap; }
/* Headers and names wrap, figures never: the table fits its container, and only a figure too wide scrolls. */
thead th { white-space: normal; overflow-wrap: anywhere; vertical-align: bottom; }
th[scope="row"], th.key { text-align: left; font-weight: normal; white-space: normal; overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid #8a939c; }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid #8a939c; }
tr.has-pending td[data-field="pending"] { color: #a66f00; font-weight: 600; }
.none { color: #8a939c; }
.empty { font-size: 1.1rem; color: #56606b; }
`;

/** The report as one HTML page: charts per currency, the table, pending and queue figures, and the JSON. */
export function renderReportHtml(report: Report, options: ReportHtmlOptions = {}): string {
  const title = options.title ?? "genledger report";
  const generatedAt = (options.generatedAt ?? new Date()).toISOString();
  const currencies = [
    ...new Set([...report.rows.flatMap((r) => Object.keys(r.cost)), ...Object.keys(report.total.cost)]),
  ].sort();
  const { total, queue } = report;
  const num = (attribute: string, n: number) => `<span ${attribute}>${String(n)}</span>`;
  const pending =
    total.pending > 0
      ? `<p class="pending">${num('data-total="pending"', total.pending)} of ${num('data-total="count"', total.count)} records are not final yet (billing pending or estimated): their cost may change.</p>`
      : "";
  const unbilled = basisNote(report);
  const basis = unbilled
    ? `<p class="pending" data-note="basis">${escapeHtml(unbilled)}: group by basis to show them apart.</p>`
    : "";
  const content =
    report.rows.length === 0
      ? `<p class="empty">no records</p>`
      : `${pending}${basis}\n${charts(report, currencies)}\n${table(report, currencies)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${filters(report)} · generated <time datetime="${generatedAt}">${generatedAt}</time></p>
</header>
<main>
${content}
<p class="queue">queue: ${num('data-queue="waiting"', queue.waiting)} ${queue.waiting === 1 ? "ref" : "refs"} waiting for a lookup (${num('data-queue="due"', queue.due)} due now, ${num('data-queue="leased"', queue.leased)} being looked up), ${num('data-queue="givenUp"', queue.givenUp)} given up, ${num('data-queue="failed"', queue.failed)} failed</p>
</main>
${jsonBlock(report)}
</body>
</html>
`;
}

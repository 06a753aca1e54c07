import type { Report } from "@genledger/store";
export function renderReportHtml(report: Report): string {
  return `<!doctype html><pre>${JSON.stringify(report.total)}</pre>`;
}

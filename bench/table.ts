// What every benchmark prints with: percentiles, numbers as the tables show
// them, and a Markdown table (first column left-aligned, the rest right).

/** The p-th percentile (nearest rank). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Two decimals below 10, whole numbers with separators above; '–' for no value. */
export function fmt(v: number): string {
  return !Number.isFinite(v) ? '–' : Math.abs(v) < 10 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US');
}

/** Prints `rows` under `header` as a Markdown table. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

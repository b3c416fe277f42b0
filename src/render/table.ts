// Plain-text tables for human output: columns padded to their widest cell.

/** A cell's width on screen: colour escapes take none. */
function visibleLength(cell: string): number {
  return cell.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Renders rows (the first is the header) with two spaces between columns; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  const pad = (cell: string, width: number): string => cell + ' '.repeat(Math.max(0, width - visibleLength(cell)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

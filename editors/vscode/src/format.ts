// Sizes as pkgsizer prints them (decimal units, SI: 1 kB = 1000 B), and the status-bar text
// built from the language server's `pkgsizer/environment` answer. No `vscode` import: tested
// with `node --test`.

/** The answer of the server's `pkgsizer/environment` request (null: no environment found). */
export interface EnvironmentSummary {
  path: string;
  python_version: string;
  apparent_bytes: number;
  disk_bytes: number;
  distributions: number;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** "0 B", "999 B", "1.0 kB", "12.3 MB", "1.60 GB": three significant digits from kB up. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Whether a JSON value is the `pkgsizer/environment` answer this extension understands. */
export function isEnvironmentSummary(value: unknown): value is EnvironmentSummary {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const count = (key: string) =>
    typeof record[key] === 'number' && Number.isInteger(record[key]) && (record[key] as number) >= 0;
  return (
    typeof record.path === 'string' &&
    typeof record.python_version === 'string' &&
    count('apparent_bytes') &&
    count('disk_bytes') &&
    count('distributions')
  );
}

export interface StatusText {
  text: string; // the status-bar item's label ($(icon) syntax)
  tooltip: string;
}

/** The status bar's label and tooltip; `null` (no environment, or a malformed answer) says so. */
export function statusText(summary: unknown): StatusText {
  if (!isEnvironmentSummary(summary))
    return {
      text: '$(package) pkgsizer: no environment',
      tooltip:
        'pkgsizer found no Python environment for this folder (.venv, $VIRTUAL_ENV or pkgsizer.toml).',
    };
  const count = summary.distributions === 1 ? '1 distribution' : `${summary.distributions} distributions`;
  return {
    text: `$(package) ${formatBytes(summary.apparent_bytes)}`,
    tooltip: [
      `${summary.path}`,
      `Python ${summary.python_version || '?'} · ${count}`,
      `${formatBytes(summary.apparent_bytes)} of files · ${formatBytes(summary.disk_bytes)} on disk`,
      'Click: pkgsizer: Show report',
    ].join('\n'),
  };
}

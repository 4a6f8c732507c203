import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatBytes, isEnvironmentSummary, statusText } from '../src/format';

test('formatBytes prints bytes below a kilobyte as they are', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
});

test('formatBytes uses decimal units with three significant digits', () => {
  assert.equal(formatBytes(1000), '1.00 kB');
  assert.equal(formatBytes(12_345), '12.3 kB');
  assert.equal(formatBytes(123_456_789), '123 MB');
  assert.equal(formatBytes(1_600_000_000), '1.60 GB');
  assert.equal(formatBytes(999_999), '1.00 MB'); // rounds up into the next unit, not "1000 kB"
});

test('formatBytes says ? for what is not a size', () => {
  assert.equal(formatBytes(-1), '?');
  assert.equal(formatBytes(Number.NaN), '?');
});

const summary = {
  path: '/work/project/.venv',
  python_version: '3.11.2',
  apparent_bytes: 460_000_000,
  disk_bytes: 470_000_000,
  distributions: 94,
};

test('statusText shows the total and a tooltip with the environment', () => {
  const status = statusText(summary);
  assert.equal(status.text, '$(package) 460 MB');
  assert.match(status.tooltip, /\/work\/project\/\.venv/);
  assert.match(status.tooltip, /Python 3\.11\.2 · 94 distributions/);
  assert.match(status.tooltip, /470 MB on disk/);
});

test('statusText says when the server found no environment', () => {
  assert.match(statusText(null).text, /no environment/);
});

test('a malformed answer is treated as no environment', () => {
  assert.equal(isEnvironmentSummary({ ...summary, apparent_bytes: '460' }), false);
  assert.equal(isEnvironmentSummary({ ...summary, distributions: -1 }), false);
  assert.equal(isEnvironmentSummary({ ...summary, disk_bytes: 1.5 }), false);
  assert.match(statusText({ path: 'x' }).text, /no environment/);
  assert.equal(isEnvironmentSummary(summary), true);
});

test('one distribution is singular', () => {
  assert.match(statusText({ ...summary, distributions: 1 }).tooltip, /· 1 distribution\n/);
});

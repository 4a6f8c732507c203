import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULT_SETTINGS, readSettings } from '../src/settings';

test('missing settings are the defaults: pkgsizer on PATH, online', () => {
  assert.deepEqual(
    readSettings(() => undefined),
    DEFAULT_SETTINGS,
  );
  assert.deepEqual(DEFAULT_SETTINGS, { path: 'pkgsizer', offline: false });
});

test('settings are read by key', () => {
  const values: Record<string, unknown> = { path: '/opt/pkgsizer/bin/pkgsizer', offline: true };
  assert.deepEqual(
    readSettings((key) => values[key]),
    { path: '/opt/pkgsizer/bin/pkgsizer', offline: true },
  );
});

test('ill-typed or blank values fall back to the defaults', () => {
  const values: Record<string, unknown> = { path: '   ', offline: 'yes' };
  assert.deepEqual(readSettings((key) => values[key]), DEFAULT_SETTINGS);
  assert.equal(readSettings((key) => (key === 'path' ? 42 : undefined)).path, 'pkgsizer');
});

test('a path is trimmed', () => {
  assert.equal(readSettings((key) => (key === 'path' ? ' ./pkgsizer \n' : undefined)).path, './pkgsizer');
});

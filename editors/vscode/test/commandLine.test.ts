import assert from 'node:assert/strict';
import { test } from 'node:test';

import { environmentOption, languageServerCommand, reportCommand } from '../src/commandLine';

const online = { path: 'pkgsizer', offline: false };

test('the language server is `pkgsizer lsp`, with --offline when set', () => {
  assert.deepEqual(languageServerCommand(online), { command: 'pkgsizer', args: ['lsp'] });
  assert.deepEqual(languageServerCommand({ path: '/x/pkgsizer', offline: true }), {
    command: '/x/pkgsizer',
    args: ['lsp', '--offline'],
  });
});

test("the report scans the server's environment into the HTML file", () => {
  assert.deepEqual(
    reportCommand(online, { environmentPath: '/p/.venv', workspaceVenv: '/q/.venv', htmlPath: '/tmp/r.html' }),
    { command: 'pkgsizer', args: ['scan-env', '--html', '/tmp/r.html', '--quiet', '--venv', '/p/.venv'] },
  );
});

test("without the server's environment, the workspace's .venv; without either, none", () => {
  assert.deepEqual(reportCommand(online, { workspaceVenv: '/q/.venv', htmlPath: 'r.html' }).args, [
    'scan-env',
    '--html',
    'r.html',
    '--quiet',
    '--venv',
    '/q/.venv',
  ]);
  assert.deepEqual(reportCommand(online, { htmlPath: 'r.html' }).args, ['scan-env', '--html', 'r.html', '--quiet']);
});

test('a path with spaces and quotes stays one argument (no shell)', () => {
  const args = reportCommand(online, { environmentPath: "/home/a b/it's/.venv", htmlPath: '/t/r.html' }).args;
  assert.equal(args[args.length - 1], "/home/a b/it's/.venv");
});

test('a site-packages directory is passed as --site-packages', () => {
  assert.equal(environmentOption('/p/.venv/lib/python3.11/site-packages'), '--site-packages');
  assert.equal(environmentOption('/usr/lib/python3/dist-packages/'), '--site-packages');
  assert.equal(environmentOption('/p/.venv'), '--venv');
});

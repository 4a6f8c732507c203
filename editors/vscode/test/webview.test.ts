import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contentSecurityPolicy, makeNonce, webviewHtml } from '../src/webview';

// The head of a report as `pkgsizer scan-env --html` writes it (src/report/html_report.cpp).
const report = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>pkgsizer</title>
<style>body{}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="pkgsizer-data">{"x":"\\u003c/script>"}</script>
<script>
document.getElementById('app').textContent = 'hi';
</script>
</body>
</html>
`;

test("the report's own policy is replaced by one allowing only nonce'd scripts", () => {
  const html = webviewHtml(report, 'abc123==', 'vscode-webview://x');
  assert.equal((html.match(/Content-Security-Policy/g) ?? []).length, 1);
  assert.doesNotMatch(html, /script-src 'unsafe-inline'/);
  assert.match(html, /script-src 'nonce-abc123=='/);
  assert.match(html, /default-src 'none'/);
});

test('the policy allows no network: no connect, frame or remote sources', () => {
  const policy = contentSecurityPolicy('n', 'vscode-webview://x');
  assert.match(policy, /^default-src 'none'; /);
  assert.doesNotMatch(policy, /https?:|connect-src|frame-src|\*/);
  assert.match(policy, /style-src 'unsafe-inline'/); // the report's inline <style> and style=""
});

test('every script element carries the nonce', () => {
  const html = webviewHtml(report, 'abc123==', 'vscode-webview://x');
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 2);
  for (const tag of scripts) assert.match(tag, /nonce="abc123=="/);
});

test('the policy comes first in <head>, before any script or style', () => {
  const html = webviewHtml(report, 'n0', 'vscode-webview://x');
  const policyAt = html.indexOf('Content-Security-Policy');
  assert.ok(policyAt > html.indexOf('<head>'));
  assert.ok(policyAt < html.indexOf('<style>'));
  assert.ok(policyAt < html.indexOf('<script'));
});

test('a page without <head> or a nonce that could break the attribute is refused', () => {
  assert.throws(() => webviewHtml('<p>no head</p>', 'n', 'x'), /<head>/);
  assert.throws(() => webviewHtml(report, 'a" onload="x', 'x'), /base64/);
});

test('nonces are 128-bit base64 and differ', () => {
  const a = makeNonce();
  assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
  assert.notEqual(a, makeNonce());
});

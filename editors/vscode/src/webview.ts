// The HTML report (`scan-env --html`) shown in a VS Code webview. The report is one
// self-contained file: its styles and scripts inline, images as data: URIs, nothing fetched.
// Its own Content-Security-Policy allows any inline script; in the webview it is replaced by a
// stricter one that allows only the scripts carrying this page's nonce (CSP Level 3,
// "script-src 'nonce-…'"), and no network at all (default-src 'none': no connect-src, no
// frames, no remote images). The report escapes "<" inside its JSON data, so "<script" occurs
// only as a real tag.
import { randomBytes } from 'crypto';

/** 128 random bits, base64: a CSP nonce must be unguessable (CSP3 §7.3). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The policy of the webview page. `cspSource` is the webview's own origin (webview.cspSource). */
export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    "default-src 'none'",
    `img-src data: ${cspSource}`,
    "style-src 'unsafe-inline'",
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const CSP_META = /<meta\s+http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>\s*/gi;
const SCRIPT_TAG = /<script\b/gi;
const HEAD_TAG = /<head\b[^>]*>/i;

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The report's HTML for the webview: its CSP meta elements removed, ours put first in <head>,
 * and every <script> given the nonce. Throws when the text is not a page with a <head>.
 */
export function webviewHtml(reportHtml: string, nonce: string, cspSource: string): string {
  if (!/^[A-Za-z0-9+/=]+$/.test(nonce)) throw new Error('the nonce must be base64');
  const withoutPolicy = reportHtml.replace(CSP_META, '');
  const head = HEAD_TAG.exec(withoutPolicy);
  if (!head) throw new Error('the report has no <head> element');
  const meta = `\n<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(
    contentSecurityPolicy(nonce, cspSource),
  )}">`;
  const at = head.index + head[0].length;
  const page = withoutPolicy.slice(0, at) + meta + withoutPolicy.slice(at);
  return page.replace(SCRIPT_TAG, `<script nonce="${nonce}"`);
}

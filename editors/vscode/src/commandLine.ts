// The command lines the extension runs. Arguments are passed as an array (never through a
// shell), so paths with spaces or quotes need no escaping.
import * as path from 'path';

import { Settings } from './settings';

export interface CommandLine {
  command: string;
  args: string[];
}

/** `pkgsizer lsp` (over stdio), with --offline when the setting asks. */
export function languageServerCommand(settings: Settings): CommandLine {
  return { command: settings.path, args: settings.offline ? ['lsp', '--offline'] : ['lsp'] };
}

export interface ReportRequest {
  /** The environment the server reported (`pkgsizer/environment`'s path), if any. */
  environmentPath?: string;
  /** The workspace folder: when the server knew no environment, its .venv if it has one. */
  workspaceVenv?: string;
  /** Where the HTML goes (a temporary file). */
  htmlPath: string;
}

/**
 * `pkgsizer scan-env --html FILE --quiet [--venv ENV]`. Without an environment the scan finds
 * one itself ($VIRTUAL_ENV, python3 on PATH) from the workspace folder it runs in.
 */
export function reportCommand(settings: Settings, request: ReportRequest): CommandLine {
  const args = ['scan-env', '--html', request.htmlPath, '--quiet'];
  const environment = request.environmentPath || request.workspaceVenv;
  if (environment) args.push(environmentOption(environment), environment);
  return { command: settings.path, args };
}

/** A site-packages directory is given as such; anything else is a venv or prefix. */
export function environmentOption(environmentPath: string): string {
  const base = path.basename(environmentPath.replace(/[\\/]+$/, ''));
  return base === 'site-packages' || base === 'dist-packages' ? '--site-packages' : '--venv';
}

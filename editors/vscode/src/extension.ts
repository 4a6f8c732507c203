// The VS Code side: starts `pkgsizer lsp`, keeps a status-bar item with the environment's
// total (from the server's `pkgsizer/environment` request), and "pkgsizer: Show report" opens
// `scan-env --html` in a webview. The logic lives in the vscode-free modules beside this one.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

import { languageServerCommand, reportCommand } from './commandLine';
import { EnvironmentSummary, isEnvironmentSummary, statusText } from './format';
import { readSettings, Settings } from './settings';
import { makeNonce, webviewHtml } from './webview';

const ENVIRONMENT_REQUEST = 'pkgsizer/environment';

let client: LanguageClient | undefined;
let statusItem: vscode.StatusBarItem | undefined;

function settings(): Settings {
  const configuration = vscode.workspace.getConfiguration('pkgsizer');
  return readSettings((key) => configuration.get(key));
}

function startClient(context: vscode.ExtensionContext): LanguageClient {
  const line = languageServerCommand(settings());
  const serverOptions: ServerOptions = { command: line.command, args: line.args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/requirements*.txt' },
      { scheme: 'file', pattern: '**/pyproject.toml' },
      { scheme: 'file', pattern: '**/pylock.toml' },
      { scheme: 'file', pattern: '**/pylock.*.toml' },
      { scheme: 'file', pattern: '**/uv.lock' },
    ],
  };
  const started = new LanguageClient('pkgsizer', 'pkgsizer', serverOptions, clientOptions);
  context.subscriptions.push(started);
  started.start().then(
    () => void refreshStatus(),
    (error: unknown) =>
      void vscode.window.showErrorMessage(
        `pkgsizer: could not start '${line.command} ${line.args.join(' ')}': ${String(error)} ` +
          '(set pkgsizer.path to the pkgsizer executable)',
      ),
  );
  return started;
}

/** The document's URI, else the first workspace folder's. */
function currentUri(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document && document.uri.scheme === 'file') return document.uri;
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function askEnvironment(): Promise<EnvironmentSummary | null> {
  const uri = currentUri();
  if (!client || !client.isRunning() || !uri) return null;
  try {
    const answer: unknown = await client.sendRequest(ENVIRONMENT_REQUEST, { uri: uri.toString() });
    return isEnvironmentSummary(answer) ? answer : null;
  } catch {
    return null; // an older server without the request: no figure rather than an error
  }
}

async function refreshStatus(): Promise<void> {
  if (!statusItem) return;
  const status = statusText(await askEnvironment());
  statusItem.text = status.text;
  statusItem.tooltip = status.tooltip;
  statusItem.show();
}

function run(command: string, args: string[], cwd: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

async function showReport(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'pkgsizer-report-'));
  const htmlPath = path.join(directory, 'report.html');
  const environment = await askEnvironment();
  const venv = folder && fs.existsSync(path.join(folder, '.venv')) ? path.join(folder, '.venv') : undefined;
  const line = reportCommand(settings(), {
    environmentPath: environment?.path,
    workspaceVenv: venv,
    htmlPath,
  });
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'pkgsizer: measuring the environment…' },
      () => run(line.command, line.args, folder),
    );
    const html = fs.readFileSync(htmlPath, 'utf8');
    const panel = vscode.window.createWebviewPanel(
      'pkgsizer.report',
      'pkgsizer report',
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [] },
    );
    panel.webview.html = webviewHtml(html, makeNonce(), panel.webview.cspSource);
    context.subscriptions.push(panel);
  } catch (error) {
    void vscode.window.showErrorMessage(`pkgsizer: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

export function activate(context: vscode.ExtensionContext): void {
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  statusItem.command = 'pkgsizer.showReport';
  context.subscriptions.push(statusItem);
  context.subscriptions.push(
    vscode.commands.registerCommand('pkgsizer.showReport', () => showReport(context)),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
    vscode.workspace.onDidSaveTextDocument(() => void refreshStatus()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('pkgsizer')) return;
      await client?.stop();
      client = startClient(context);
    }),
  );
  client = startClient(context);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

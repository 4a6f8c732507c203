// The extension's settings (package.json "contributes.configuration"), read through a getter so
// that tests need no `vscode`: `readSettings((key) => configuration.get(key))`.

export interface Settings {
  /** The pkgsizer executable: a name looked up on PATH, or a path. */
  path: string;
  /** Pass --offline: the server and the report never contact the package index. */
  offline: boolean;
}

export const DEFAULT_SETTINGS: Settings = { path: 'pkgsizer', offline: false };

/** Settings from `get(key)` ("path", "offline"); a missing or ill-typed value is the default. */
export function readSettings(get: (key: string) => unknown): Settings {
  const path = get('path');
  const offline = get('offline');
  return {
    path: typeof path === 'string' && path.trim() !== '' ? path.trim() : DEFAULT_SETTINGS.path,
    offline: typeof offline === 'boolean' ? offline : DEFAULT_SETTINGS.offline,
  };
}

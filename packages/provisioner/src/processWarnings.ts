// Owns what the fiat process prints about itself: one line per process warning (instead of
// Node's multi-line default) and the one-line notice that the running Node is deprecated.
// For the CLI entry only: library code never touches process listeners.

/** The part of `process` the warning handling needs. */
export interface WarningProcess {
  readonly version: string;
  on(event: 'warning', listener: (warning: Error) => void): unknown;
  removeAllListeners(event: 'warning'): unknown;
}

/**
 * A warning as one line: its name (unless the generic `Warning`) and the first paragraph of its
 * message, whitespace collapsed. The AWS SDK's nine-line `NodeVersionSupportWarning` becomes
 * `NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) versions published after … You are running node v20.20.2.`
 *
 * @example
 * ```ts
 * oneLineWarning(Object.assign(new Error('a\nb\n\nmore'), { name: 'DeprecationWarning' })); // 'DeprecationWarning: a b'
 * ```
 */
export function oneLineWarning(warning: Error): string {
  const paragraph = String(warning.message ?? '').split(/\n\s*\n/)[0] ?? '';
  const text = paragraph.replace(/\s+/g, ' ').trim();
  const name = warning.name !== undefined && warning.name !== 'Warning' && warning.name !== 'Error' ? `${warning.name}: ` : '';
  return `${name}${text}`;
}

/**
 * The one-line notice printed at CLI start on Node before 22, else `undefined`.
 *
 * @example
 * ```ts
 * nodeDeprecationNotice('v20.20.2'); // 'fiat: Node 20.20.2 is deprecated; Fiat supports Node 22 and 24'
 * nodeDeprecationNotice('v22.11.0'); // undefined
 * ```
 */
export function nodeDeprecationNotice(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
  return major < 22 ? `fiat: Node ${version.replace(/^v/, '')} is deprecated; Fiat supports Node 22 and 24` : undefined;
}

/**
 * For the CLI process: replaces Node's multi-line warning output with one `fiat: warning: …` line
 * per distinct warning, and prints the Node deprecation notice once. Call it from the executable
 * only, never from library code.
 *
 * @example
 * ```ts
 * installCliWarnings(process, (line) => process.stderr.write(line));
 * ```
 */
export function installCliWarnings(proc: WarningProcess, write: (text: string) => void): void {
  proc.removeAllListeners('warning');
  const printed = new Set<string>();
  proc.on('warning', (warning) => {
    const line = oneLineWarning(warning);
    if (printed.has(line)) return;
    printed.add(line);
    write(`fiat: warning: ${line}\n`);
  });
  const notice = nodeDeprecationNotice(proc.version);
  if (notice !== undefined) write(`${notice}\n`);
}

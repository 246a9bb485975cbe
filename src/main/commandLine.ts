// The project folder named on the command line (Electron main, pure): `electron . <project>` in
// development, `simcvd-workstation <project>` when packaged, and the argv a second instance
// forwards to the first (which may carry extra Chromium switches).
import path from 'node:path';

export interface ArgvContext {
  /** Packaged apps have no script argument: argv is [exe, ...userArgs]. */
  isPackaged: boolean;
  /** Relative paths are resolved against the invoking shell's folder. */
  cwd: string;
  /** Whether a folder holds a project (project.json). */
  isProject(dir: string): boolean;
}

export function projectArgument(argv: readonly string[], context: ArgvContext): string | null {
  const userArgs = argv.slice(context.isPackaged ? 1 : 2);
  for (const arg of [...userArgs].reverse()) {
    if (arg.startsWith('-')) continue;
    const dir = path.resolve(context.cwd, arg);
    if (context.isProject(dir)) return dir;
  }
  return null;
}

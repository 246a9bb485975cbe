// Whether a path exists (plain Node): one answer for the many "is it there yet?" checks of run
// folders, proposals, studies and checkpoints.
import { promises as fs } from 'node:fs';

export function pathExists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

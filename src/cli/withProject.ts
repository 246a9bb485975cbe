// Opening a project for one CLI command (Node): runs the work and always releases the lock,
// and says on stderr what opening finished or cleaned after an earlier crash.
import { ProjectStore } from '../core/project';

export async function withProject<T>(
  dir: string,
  write: boolean,
  purpose: string,
  work: (store: ProjectStore) => Promise<T>,
): Promise<T> {
  const store = await ProjectStore.open(dir, { write, purpose });
  try {
    const recovery = store.recovery;
    if (recovery?.completedImports.length)
      process.stderr.write(
        `note: completed an import a crash had interrupted (${recovery.completedImports.join(', ')})\n`,
      );
    if (recovery?.discardedImports)
      process.stderr.write(
        `note: discarded ${recovery.discardedImports} unfinished import${recovery.discardedImports === 1 ? '' : 's'} left by a crash\n`,
      );
    return await work(store);
  } finally {
    await store.close();
  }
}

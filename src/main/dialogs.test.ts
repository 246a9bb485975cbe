// Native dialogs adapter and the main-process menu commands (Node, Electron's dialog faked):
// what is asked, what a cancel does, and how results and failures are shown.
import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it } from 'vitest';
import type { WorkspaceDialogs } from '../backend/workspace';
import { createDialogs, NIFTI_FILTERS } from './dialogs';
import { createMenuCommands } from './menuCommands';

function fakeDialog(answers: string[][]) {
  const asked: unknown[][] = [];
  const dialog = {
    showOpenDialog: async (...args: unknown[]) => {
      asked.push(args);
      const filePaths = answers.shift() ?? [];
      return { canceled: filePaths.length === 0, filePaths };
    },
  } as unknown as Pick<Dialog, 'showOpenDialog'>;
  return { dialog, asked };
}

describe('createDialogs', () => {
  it('asks for folders to open or create, attached to the window when there is one', async () => {
    const window = { id: 1 } as unknown as BrowserWindow;
    const { dialog, asked } = fakeDialog([['/data/p'], [], ['/new']]);
    const dialogs = createDialogs(dialog, () => window);
    expect(await dialogs.pickFolder({ mode: 'open' })).toBe('/data/p');
    expect(await dialogs.pickFolder({ mode: 'open', title: 'Pick' })).toBeNull();
    expect(await dialogs.pickFolder({ mode: 'create' })).toBe('/new');
    expect(asked[0]![0]).toBe(window);
    expect(asked[0]![1]).toMatchObject({ properties: ['openDirectory'] });
    expect(asked[1]![1]).toMatchObject({ title: 'Pick' });
    expect(asked[2]![1]).toMatchObject({
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    });
  });

  it('asks for NIfTI files or for folders, several at once', async () => {
    const { dialog, asked } = fakeDialog([['/a.nii.gz', '/b.nii'], ['/dicom']]);
    const dialogs = createDialogs(dialog, () => undefined);
    expect(await dialogs.pickFiles({ folders: false })).toEqual(['/a.nii.gz', '/b.nii']);
    expect(await dialogs.pickFiles({ folders: true })).toEqual(['/dicom']);
    expect(asked[0]).toEqual([
      expect.objectContaining({
        properties: ['openFile', 'multiSelections'],
        filters: NIFTI_FILTERS,
      }),
    ]);
    expect(asked[1]![0]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] });
    expect(asked[1]![0]).not.toHaveProperty('filters');
  });
});

describe('createMenuCommands', () => {
  function setup(
    replies: Record<string, unknown>,
    picks: { files?: string[]; folder?: string | null },
  ) {
    const calls: unknown[][] = [];
    const shown: unknown[] = [];
    const errors: string[][] = [];
    const dialogs: WorkspaceDialogs = {
      pickFiles: async () => picks.files ?? [],
      pickFolder: async () => picks.folder ?? null,
    };
    const commands = createMenuCommands({
      workspace: {
        call: async (method: unknown, params: unknown) => {
          calls.push([method, params]);
          return replies[method as string] as never;
        },
      },
      dialogs,
      messages: {
        showMessageBox: (async (options: unknown) => shown.push(options)) as never,
        showErrorBox: (title: string, content: string) => errors.push([title, content]),
      },
      window: () => undefined,
    });
    return { commands, calls, shown, errors };
  }

  it('imports the chosen files and reports the count and warnings', async () => {
    const { commands, calls, shown } = setup(
      {
        'studies.import': {
          ok: true,
          result: {
            imported: [
              { id: 'a', labeled: false, warnings: [] },
              { id: 'b', labeled: false, warnings: ['oblique'] },
            ],
          },
        },
      },
      { files: ['/a.nii.gz', '/b.nii.gz'] },
    );
    await commands.importStudies('files');
    expect(calls).toEqual([['studies.import', { paths: ['/a.nii.gz', '/b.nii.gz'] }]]);
    expect(shown).toEqual([
      expect.objectContaining({
        type: 'warning',
        message: 'Imported 2 studies.',
        detail: 'Warnings:\nb: oblique',
      }),
    ]);
  });

  it('does nothing when the dialog is cancelled and shows API failures', async () => {
    const cancelled = setup({}, {});
    await cancelled.commands.importStudies('folder');
    await cancelled.commands.exportLabels();
    expect(cancelled.calls).toEqual([]);

    const failing = setup(
      { 'labels.export': { ok: false, error: { code: 'IO_FAILED', message: 'disk full' } } },
      { folder: '/out' },
    );
    await failing.commands.exportLabels();
    expect(failing.calls).toEqual([['labels.export', { outDir: '/out' }]]);
    expect(failing.errors).toEqual([['Export failed', 'disk full']]);
    expect(failing.shown).toEqual([]);
  });

  it('exports into the chosen folder and lists what was skipped', async () => {
    const { commands, shown } = setup(
      {
        'labels.export': {
          ok: true,
          result: {
            outDir: '/out',
            files: [
              { studyId: 'a', labelVersion: 'v0001', origin: 'human', path: '/out/a.nii.gz' },
            ],
            skipped: [{ studyId: 'b', reason: 'draft only' }],
          },
        },
      },
      { folder: '/out' },
    );
    await commands.exportLabels();
    expect(shown).toEqual([
      expect.objectContaining({
        message: 'Exported 1 label file to /out.',
        detail: 'Skipped:\nb: draft only',
      }),
    ]);
  });
});

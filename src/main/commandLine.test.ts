// The project folder on the command line (Node): development and packaged argv shapes, the
// argv a second instance forwards (with Chromium switches), relative paths.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectArgument } from './commandLine';

const projects = new Set(['/data/heart', '/home/u/work/demo/project']);
const isProject = (dir: string) => projects.has(dir);

describe('projectArgument', () => {
  it('finds the project after the script in development and after the executable when packaged', () => {
    expect(
      projectArgument(['/x/electron', '.', '/data/heart'], {
        isPackaged: false,
        cwd: '/',
        isProject,
      }),
    ).toBe('/data/heart');
    expect(
      projectArgument(['/opt/simcvd/simcvd-workstation', '/data/heart'], {
        isPackaged: true,
        cwd: '/',
        isProject,
      }),
    ).toBe('/data/heart');
    // The script path itself is never taken for a project.
    expect(
      projectArgument(['/x/electron', '/data/heart'], { isPackaged: false, cwd: '/', isProject }),
    ).toBeNull();
  });

  it('skips switches and folders that are not projects, resolving relative paths', () => {
    const argv = [
      '/opt/simcvd/simcvd-workstation',
      '--no-sandbox',
      '--allow-file-access-from-files',
      'demo/project',
      'notes.txt',
    ];
    expect(projectArgument(argv, { isPackaged: true, cwd: '/home/u/work', isProject })).toBe(
      path.resolve('/home/u/work', 'demo/project'),
    );
    expect(
      projectArgument(['/opt/simcvd/simcvd-workstation', '--inspect'], {
        isPackaged: true,
        cwd: '/',
        isProject,
      }),
    ).toBeNull();
  });
});

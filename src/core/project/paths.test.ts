import { describe, expect, it } from 'vitest';
import { assertValidId, idFromName, projectPaths, resolveInside } from './paths';

describe('project paths', () => {
  it('derives study IDs from file names', () => {
    expect(idFromName('case_001.nii.gz')).toBe('case_001');
    expect(idFromName('My Scan (2).nii')).toBe('My_Scan_2_');
    expect(idFromName('../../etc.hdr')).toBe('etc');
  });

  it('refuses IDs that could escape the project', () => {
    for (const bad of ['..', '../x', 'a/b', '', '.hidden', 'a..b', 'x'.repeat(129)]) {
      expect(() => assertValidId('study', bad), bad).toThrow(/Invalid study ID/);
    }
    expect(() => assertValidId('study', 'case_001')).not.toThrow();
  });

  it('keeps every resolved path inside the project', () => {
    expect(() => resolveInside('/p', '../etc/passwd')).toThrow(/escapes the project folder/);
    expect(() => resolveInside('/p', '/etc/passwd')).toThrow(/escapes/);
    expect(resolveInside('/p', 'studies', 'a')).toBe('/p/studies/a');
    const paths = projectPaths('/p');
    expect(() => paths.labelFile('a', '../../../x')).toThrow(/escapes/);
    expect(() => paths.study('../x')).toThrow(/Invalid study ID/);
    expect(paths.image('case_1')).toBe('/p/studies/case_1/image.nii.gz');
  });
});

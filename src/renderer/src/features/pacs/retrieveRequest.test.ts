// Unit tests of the retrieve requests (Node): only ticked series not yet in the project, and
// an interrupted retrieve resumed by asking for the same series from the same source.
import { describe, expect, it } from 'vitest';
import type { PacsSeries } from '../../../../shared/contract/pacs';
import { partialText, resumeParams, retrievable, retrieveParams } from './retrieveRequest';

const series = (uid: string, importedAs?: string): PacsSeries => ({
  studyInstanceUid: '1.2.3',
  seriesInstanceUid: uid,
  modality: 'MR',
  seriesDescription: 'LGE',
  ...(importedAs ? { importedAs } : {}),
});

describe('retrieve requests', () => {
  const list = [series('1.2.3.1'), series('1.2.3.2', 'P1_LGE'), series('1.2.3.3')];

  it('retrieves the ticked series the project does not hold yet', () => {
    expect(retrievable(list).map((s) => s.seriesInstanceUid)).toEqual(['1.2.3.1', '1.2.3.3']);
    expect(retrieveParams('pacs1', list, new Set(['1.2.3.3', '1.2.3.2']))).toEqual({
      server: 'pacs1',
      series: [{ studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.3' }],
    });
    expect(retrieveParams('pacs1', list, new Set(['1.2.3.2']))).toBeNull();
    expect(retrieveParams('pacs1', list, new Set())).toBeNull();
  });

  it('resumes an interrupted retrieve from its source, or its URL when it had none', () => {
    const partial = {
      key: '0123456789abcdef',
      baseUrl: 'http://127.0.0.1:8042/dicom-web',
      sourceId: 'orthanc',
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.1',
      downloaded: 12,
      total: 40,
      startedAt: '2024-01-01T00:00:00Z',
    };
    expect(resumeParams(partial)).toEqual({
      server: 'orthanc',
      series: [{ studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.1' }],
    });
    const { sourceId: _s, ...byUrl } = partial;
    expect(resumeParams(byUrl).server).toBe('http://127.0.0.1:8042/dicom-web');
    expect(partialText(partial)).toBe('12 / 40 instances of series 1.2.3.1 from orthanc');
  });
});

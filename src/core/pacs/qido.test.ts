import { describe, expect, it } from 'vitest';
import { dateRange, seriesQuery, studyQuery, substringMatch, toSeries, toStudy } from './qido';

describe('QIDO-RS queries', () => {
  it('turns filters into query parameters, with substring matching and a date range', () => {
    const query = studyQuery({
      patientName: 'doe',
      patientId: ' P1 ',
      modality: 'mr',
      studyDateFrom: '2024-01-01',
      studyDateTo: '20240131',
      description: 'cardiac',
      limit: 20,
      offset: 40,
    });
    expect(query.get('PatientName')).toBe('*doe*');
    expect(query.get('PatientID')).toBe('P1');
    expect(query.get('ModalitiesInStudy')).toBe('MR');
    expect(query.get('StudyDate')).toBe('20240101-20240131');
    expect(query.get('StudyDescription')).toBe('*cardiac*');
    expect(query.get('limit')).toBe('20');
    expect(query.get('offset')).toBe('40');
    expect(query.getAll('includefield')).toContain('00081030');
  });

  it('keeps explicit wildcards, and asks for series by modality and description', () => {
    expect(substringMatch('DOE^J*')).toBe('DOE^J*');
    const query = seriesQuery({
      modality: 'CT',
      seriesDescription: 'axial',
      seriesInstanceUid: '1.2',
    });
    expect(query.get('Modality')).toBe('CT');
    expect(query.get('SeriesDescription')).toBe('*axial*');
    expect(query.get('SeriesInstanceUID')).toBe('1.2');
    expect(query.get('limit')).toBe('100');
  });

  it('refuses dates that do not exist and ranges that end before they start', () => {
    expect(dateRange('2024-02-29', undefined)).toBe('20240229-');
    expect(dateRange(undefined, '2024-03-01')).toBe('-20240301');
    expect(dateRange('2024-03-01', '2024-03-01')).toBe('20240301');
    expect(() => dateRange('2023-02-29')).toThrow(/"2023-02-29" is not a date/);
    expect(() => dateRange('2024-03-02', '2024-03-01')).toThrow(/after the end date/);
  });
});

describe('QIDO-RS answers', () => {
  it('reads studies and series from DICOM JSON (person names, numbers, lists)', () => {
    const study = toStudy({
      '0020000D': { vr: 'UI', Value: ['1.2.3'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
      '00080061': { vr: 'CS', Value: ['MR', 'SEG'] },
      '00201206': { vr: 'IS', Value: [2] },
      '00201208': { vr: 'IS', Value: ['64'] },
      '00080020': { vr: 'DA', Value: ['20240101'] },
    });
    expect(study).toMatchObject({
      studyInstanceUid: '1.2.3',
      patientName: 'Doe^Jane',
      patientId: '',
      modalities: ['MR', 'SEG'],
      seriesCount: 2,
      instanceCount: 64,
      studyDate: '20240101',
    });
    expect(toStudy({ '00100010': { vr: 'PN' } })).toBeUndefined();
    const series = toSeries(
      { '0020000E': { vr: 'UI', Value: ['1.2.3.4'] }, '00080060': { vr: 'CS', Value: ['MR'] } },
      '1.2.3',
    );
    expect(series).toMatchObject({
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.4',
      modality: 'MR',
    });
    expect(toSeries({ '0020000E': { vr: 'UI', Value: ['1.2.3.4'] } })).toBeUndefined();
  });
});

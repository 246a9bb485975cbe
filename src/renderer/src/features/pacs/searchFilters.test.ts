// Unit tests of the study search form (Node): blank fields left out, modality upper-cased,
// dates as DICOM dates, and the one-line problems (bad modality, impossible date, from > to).
import { describe, expect, it } from 'vitest';
import { EMPTY_SEARCH, dicomDate, searchProblem, studySearchParams } from './searchFilters';

describe('study search filters', () => {
  it('sends only the filled fields, trimmed, with DICOM dates and an upper-case modality', () => {
    expect(studySearchParams('pacs1', EMPTY_SEARCH)).toEqual({ server: 'pacs1', limit: 100 });
    expect(
      studySearchParams('pacs1', {
        patientName: ' Smith ',
        patientId: 'ID7',
        modality: 'mr',
        dateFrom: '2024-01-02',
        dateTo: '20240131',
        description: ' ',
      }),
    ).toEqual({
      server: 'pacs1',
      limit: 100,
      patientName: 'Smith',
      patientId: 'ID7',
      modality: 'MR',
      studyDateFrom: '20240102',
      studyDateTo: '20240131',
    });
  });

  it('reads real calendar dates only', () => {
    expect(dicomDate('2024-02-29')).toBe('20240229');
    expect(dicomDate('2023-02-29')).toBeNull();
    expect(dicomDate('2024-13-01')).toBeNull();
    expect(dicomDate('24-01-01')).toBeNull();
  });

  it('says what is wrong in one line', () => {
    expect(searchProblem(EMPTY_SEARCH)).toBeNull();
    expect(searchProblem({ ...EMPTY_SEARCH, modality: 'M R' })).toBe(
      '"M R" is not a modality code such as MR or CT.',
    );
    expect(searchProblem({ ...EMPTY_SEARCH, dateFrom: '2024-02-30' })).toMatch(/is not a date/);
    expect(searchProblem({ ...EMPTY_SEARCH, dateFrom: '2024-03-01', dateTo: '2024-02-01' })).toBe(
      'The "from" date is after the "to" date.',
    );
    expect(searchProblem({ ...EMPTY_SEARCH, patientName: 'x'.repeat(65) })).toMatch(
      /longer than 64/,
    );
  });
});

// QIDO-RS queries and answers (PS3.18 10.6) as plain data (plain Node): the search filters a
// person types become query parameters (substring matching with wildcards, date ranges,
// modality), and the answer's data sets become typed study, series and instance rows.
import type {
  PacsSeries,
  PacsSeriesFilters,
  PacsStudy,
  PacsStudyFilters,
} from '../../shared/contract/pacs';
import { AppError } from '../errors';
import { jsonNumber, jsonText, jsonTexts, TAG, type DicomJsonDataset } from './dicomJson';

export const DEFAULT_SEARCH_LIMIT = 100;

/** Attributes asked for besides the ones a server must return (PS3.18 Table 10.6.3-3…5). */
const STUDY_FIELDS = [
  TAG.studyDescription,
  TAG.modalitiesInStudy,
  TAG.studySeriesCount,
  TAG.studyInstanceCount,
  TAG.patientBirthDate,
  TAG.patientSex,
];
const SERIES_FIELDS = [
  TAG.seriesDescription,
  TAG.seriesInstanceCount,
  TAG.seriesDate,
  TAG.patientName,
  TAG.patientId,
  TAG.studyInstanceUid,
];
const INSTANCE_FIELDS = [TAG.sopClassUid, TAG.sopInstanceUid, TAG.instanceNumber];

export interface PacsInstance {
  sopInstanceUid: string;
  sopClassUid: string;
  instanceNumber?: number;
}

/** "doe" → "*doe*": what people mean when they type part of a name; explicit wildcards stay. */
export function substringMatch(text: string): string {
  const value = text.trim();
  return /[*?]/.test(value) ? value : `*${value}*`;
}

/** YYYY-MM-DD or YYYYMMDD → YYYYMMDD, refusing dates that do not exist. */
export function dicomDate(value: string, what: string): string {
  const digits = value.replace(/-/g, '');
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(digits);
  const date = match && new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!));
  if (
    !match ||
    !date ||
    date.getUTCFullYear() !== +match[1]! ||
    date.getUTCMonth() !== +match[2]! - 1 ||
    date.getUTCDate() !== +match[3]!
  )
    throw new AppError('BAD_INPUT', `${what} "${value}" is not a date (use YYYY-MM-DD).`);
  return digits;
}

/** The StudyDate range matcher: "from-to", "from-" or "-to" (PS3.4 C.2.2.2.5). */
export function dateRange(from?: string, to?: string): string | undefined {
  if (!from && !to) return undefined;
  const start = from ? dicomDate(from, 'The start date') : '';
  const end = to ? dicomDate(to, 'The end date') : '';
  if (start && end && start > end)
    throw new AppError('BAD_INPUT', `The start date ${from} is after the end date ${to}.`);
  return start === end ? start : `${start}-${end}`;
}

function common(filters: PacsStudyFilters, modalityKey: string): URLSearchParams {
  const query = new URLSearchParams();
  const set = (key: string, value: string | undefined) => value && query.set(key, value);
  set('PatientName', filters.patientName && substringMatch(filters.patientName));
  set('PatientID', filters.patientId?.trim());
  set(modalityKey, filters.modality?.toUpperCase());
  set('StudyDate', dateRange(filters.studyDateFrom, filters.studyDateTo));
  set('StudyDescription', filters.description && substringMatch(filters.description));
  set('AccessionNumber', filters.accessionNumber?.trim());
  set('StudyInstanceUID', filters.studyInstanceUid);
  query.set('limit', String(filters.limit ?? DEFAULT_SEARCH_LIMIT));
  if (filters.offset) query.set('offset', String(filters.offset));
  return query;
}

function withFields(query: URLSearchParams, fields: string[]): URLSearchParams {
  for (const field of fields) query.append('includefield', field);
  return query;
}

export function studyQuery(filters: PacsStudyFilters): URLSearchParams {
  return withFields(common(filters, 'ModalitiesInStudy'), STUDY_FIELDS);
}

export function seriesQuery(filters: PacsSeriesFilters): URLSearchParams {
  const query = common(filters, 'Modality');
  if (filters.seriesInstanceUid) query.set('SeriesInstanceUID', filters.seriesInstanceUid);
  if (filters.seriesDescription)
    query.set('SeriesDescription', substringMatch(filters.seriesDescription));
  return withFields(query, SERIES_FIELDS);
}

export function instanceQuery(): URLSearchParams {
  return withFields(new URLSearchParams(), INSTANCE_FIELDS);
}

export function toStudy(ds: DicomJsonDataset): PacsStudy | undefined {
  const studyInstanceUid = jsonText(ds, TAG.studyInstanceUid);
  if (!studyInstanceUid) return undefined;
  return {
    studyInstanceUid,
    patientName: jsonText(ds, TAG.patientName) ?? '',
    patientId: jsonText(ds, TAG.patientId) ?? '',
    patientBirthDate: jsonText(ds, TAG.patientBirthDate),
    patientSex: jsonText(ds, TAG.patientSex),
    studyDate: jsonText(ds, TAG.studyDate),
    studyTime: jsonText(ds, TAG.studyTime),
    studyDescription: jsonText(ds, TAG.studyDescription) ?? '',
    accessionNumber: jsonText(ds, TAG.accessionNumber),
    modalities: jsonTexts(ds, TAG.modalitiesInStudy),
    seriesCount: jsonNumber(ds, TAG.studySeriesCount),
    instanceCount: jsonNumber(ds, TAG.studyInstanceCount),
  };
}

/** `studyInstanceUid` fills in a series row of a study-level query that omits it. */
export function toSeries(ds: DicomJsonDataset, studyInstanceUid?: string): PacsSeries | undefined {
  const seriesInstanceUid = jsonText(ds, TAG.seriesInstanceUid);
  const study = jsonText(ds, TAG.studyInstanceUid) ?? studyInstanceUid;
  if (!seriesInstanceUid || !study) return undefined;
  return {
    studyInstanceUid: study,
    seriesInstanceUid,
    modality: jsonText(ds, TAG.modality) ?? '',
    seriesDescription: jsonText(ds, TAG.seriesDescription) ?? '',
    seriesNumber: jsonNumber(ds, TAG.seriesNumber),
    instanceCount: jsonNumber(ds, TAG.seriesInstanceCount),
    seriesDate: jsonText(ds, TAG.seriesDate),
    patientName: jsonText(ds, TAG.patientName),
    patientId: jsonText(ds, TAG.patientId),
  };
}

export function toInstance(ds: DicomJsonDataset): PacsInstance | undefined {
  const sopInstanceUid = jsonText(ds, TAG.sopInstanceUid);
  if (!sopInstanceUid) return undefined;
  return {
    sopInstanceUid,
    sopClassUid: jsonText(ds, TAG.sopClassUid) ?? '',
    instanceNumber: jsonNumber(ds, TAG.instanceNumber),
  };
}

// The study search form → pacs.searchStudies params (renderer, pure): blank fields are left
// out, the modality is upper-cased, dates are checked (real calendar days, from ≤ to) so a
// mistake is a one-line message here instead of a server round trip.
import type { ApiParams } from '../../../../shared/contract/api';

export interface SearchForm {
  patientName: string;
  patientId: string;
  modality: string;
  dateFrom: string;
  dateTo: string;
  description: string;
}

export const EMPTY_SEARCH: SearchForm = {
  patientName: '',
  patientId: '',
  modality: '',
  dateFrom: '',
  dateTo: '',
  description: '',
};

/** Rows asked for per search; the table says when more matched. */
export const SEARCH_LIMIT = 100;

/** YYYY-MM-DD (a date input's value) or YYYYMMDD → YYYYMMDD; null when not a real date. */
export function dicomDate(text: string): string | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return null;
  return `${match[1]}${match[2]}${match[3]}`;
}

const LIMITS: [keyof SearchForm, string, number][] = [
  ['patientName', 'The patient name', 64],
  ['patientId', 'The patient ID', 64],
  ['description', 'The description', 64],
];

/** What is wrong with the form; null when it can be sent. */
export function searchProblem(form: SearchForm): string | null {
  for (const [key, what, max] of LIMITS)
    if (form[key].trim().length > max) return `${what} is longer than ${max} characters.`;
  const modality = form.modality.trim();
  if (modality && !/^[A-Za-z0-9_]{1,16}$/.test(modality))
    return `"${modality}" is not a modality code such as MR or CT.`;
  const from = form.dateFrom.trim() ? dicomDate(form.dateFrom) : '';
  const to = form.dateTo.trim() ? dicomDate(form.dateTo) : '';
  if (from === null) return `"${form.dateFrom}" is not a date (YYYY-MM-DD).`;
  if (to === null) return `"${form.dateTo}" is not a date (YYYY-MM-DD).`;
  if (from && to && from > to) return 'The "from" date is after the "to" date.';
  return null;
}

/** The request for a valid form (see searchProblem). */
export function studySearchParams(
  server: string,
  form: SearchForm,
): ApiParams<'pacs.searchStudies'> {
  const text = (value: string) => value.trim() || undefined;
  const params: ApiParams<'pacs.searchStudies'> = { server, limit: SEARCH_LIMIT };
  const set = <K extends keyof typeof params>(key: K, value: (typeof params)[K] | undefined) => {
    if (value !== undefined) params[key] = value;
  };
  set('patientName', text(form.patientName));
  set('patientId', text(form.patientId));
  set('modality', text(form.modality)?.toUpperCase());
  set('studyDateFrom', text(form.dateFrom) && (dicomDate(form.dateFrom) ?? undefined));
  set('studyDateTo', text(form.dateTo) && (dicomDate(form.dateTo) ?? undefined));
  set('description', text(form.description));
  return params;
}

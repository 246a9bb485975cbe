// A DICOMweb client (plain Node): QIDO-RS search of studies, series and instances, WADO-RS
// retrieve of one instance (multipart/related, any transfer syntax the server stores), and
// STOW-RS store with the per-instance outcome. Every answer is checked before it is used: an
// unexpected shape is REMOTE_FAILED naming the server, never a crash further on.
import type {
  PacsSeries,
  PacsSeriesFilters,
  PacsStudy,
  PacsStudyFilters,
} from '../../shared/contract/pacs';
import { AppError } from '../errors';
import {
  asDatasets,
  jsonItems,
  jsonNumber,
  jsonText,
  TAG,
  type DicomJsonDataset,
} from './dicomJson';
import { formatBytes, httpCall, type FetchLike, type HttpAnswer, type HttpCall } from './http';
import { buildMultipart, MultipartError, parseContentType, parseMultipart } from './multipart';
import {
  DEFAULT_SEARCH_LIMIT,
  instanceQuery,
  seriesQuery,
  studyQuery,
  toInstance,
  toSeries,
  toStudy,
  type PacsInstance,
} from './qido';
import type { DicomwebServer } from './server';

export interface DicomwebLimits {
  /** One QIDO-RS answer. */
  searchBytes: number;
  /** One retrieved instance (an enhanced multi-frame CT can be several hundred MiB). */
  instanceBytes: number;
  /** One STOW-RS answer. */
  storeAnswerBytes: number;
}

export const DEFAULT_LIMITS: DicomwebLimits = {
  searchBytes: 64 * 1024 * 1024,
  instanceBytes: 1024 * 1024 * 1024,
  storeAnswerBytes: 16 * 1024 * 1024,
};

const DICOM_JSON = 'application/dicom+json';
const ANY_SYNTAX = 'multipart/related; type="application/dicom"; transfer-syntax=*';
const DEFAULT_SYNTAX = 'multipart/related; type="application/dicom"';

export interface StowOutcome {
  stored: string[];
  failed: { sopInstanceUid: string; reason: string }[];
  /** Stored with a warning (e.g. coerced attributes). */
  warnings: { sopInstanceUid: string; reason: string }[];
}

/** STOW-RS failure reasons (PS3.18 Table I.2-1 and PS3.4 status codes) in words. */
const FAILURE_REASONS: Record<number, string> = {
  0x0110: 'processing failure',
  0x0122: 'SOP class not supported',
  0x0124: 'not authorized',
  0xa700: 'out of resources',
  0xa900: 'data set does not match the SOP class',
  0xb000: 'coercion of data elements',
  0xb006: 'elements discarded',
  0xb007: 'data set does not match the SOP class (stored anyway)',
  0xc000: 'cannot understand',
  0xc122: 'referenced transfer syntax not supported',
  0xa770: 'out of resources (no storage space)',
};

const enc = encodeURIComponent;

export class DicomwebClient {
  private readonly limits: DicomwebLimits;

  constructor(
    readonly server: DicomwebServer,
    private readonly options: { fetch?: FetchLike; limits?: Partial<DicomwebLimits> } = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  private call(call: HttpCall): Promise<HttpAnswer> {
    return httpCall(this.server, call, this.options.fetch);
  }

  private async search(
    path: string,
    query: URLSearchParams,
    what: string,
    signal?: AbortSignal,
  ): Promise<DicomJsonDataset[]> {
    const answer = await this.call({
      method: 'GET',
      path,
      query,
      accept: DICOM_JSON,
      maxBytes: this.limits.searchBytes,
      what,
      signal,
    });
    // 204: no match (PS3.18 allows it instead of an empty array).
    if (answer.status === 204 || answer.body.length === 0) return [];
    let json: unknown;
    try {
      json = JSON.parse(answer.body.toString('utf8'));
    } catch {
      throw this.malformed(what, 'not JSON');
    }
    const datasets = asDatasets(json);
    if (!datasets) throw this.malformed(what, 'not an array of DICOM JSON data sets');
    return datasets;
  }

  private malformed(what: string, why: string): AppError {
    return new AppError(
      'REMOTE_FAILED',
      `${this.server.label} sent an answer that is ${why} while ${what}; is the URL the DICOMweb root?`,
    );
  }

  async searchStudies(
    filters: PacsStudyFilters,
    signal?: AbortSignal,
  ): Promise<{ studies: PacsStudy[]; truncated: boolean }> {
    const found = await this.search('/studies', studyQuery(filters), 'searching studies', signal);
    const studies = found.map(toStudy).filter((s): s is PacsStudy => !!s);
    return { studies, truncated: found.length >= (filters.limit ?? DEFAULT_SEARCH_LIMIT) };
  }

  /** Series of one study (`studyInstanceUid`), or matching series across studies. */
  async searchSeries(
    filters: PacsSeriesFilters,
    signal?: AbortSignal,
  ): Promise<{ series: PacsSeries[]; truncated: boolean }> {
    const study = filters.studyInstanceUid;
    const path = study ? `/studies/${enc(study)}/series` : '/series';
    const query = seriesQuery(study ? { ...filters, studyInstanceUid: undefined } : filters);
    const found = await this.search(path, query, 'searching series', signal);
    const series = found.map((ds) => toSeries(ds, study)).filter((s): s is PacsSeries => !!s);
    return { series, truncated: found.length >= (filters.limit ?? DEFAULT_SEARCH_LIMIT) };
  }

  /** The series with this UID, wherever it is; NOT_FOUND when the server has none. */
  async findSeries(seriesInstanceUid: string, signal?: AbortSignal): Promise<PacsSeries> {
    const { series } = await this.searchSeries({ seriesInstanceUid, limit: 2 }, signal);
    const match = series.find((s) => s.seriesInstanceUid === seriesInstanceUid);
    if (!match)
      throw new AppError(
        'NOT_FOUND',
        `${this.server.label} has no series ${seriesInstanceUid}; search again (simcvd pacs search) for its UID.`,
      );
    return match;
  }

  async listInstances(
    studyInstanceUid: string,
    seriesInstanceUid: string,
    signal?: AbortSignal,
  ): Promise<PacsInstance[]> {
    const found = await this.search(
      `/studies/${enc(studyInstanceUid)}/series/${enc(seriesInstanceUid)}/instances`,
      instanceQuery(),
      `listing the instances of series ${seriesInstanceUid}`,
      signal,
    );
    const instances = found.map(toInstance).filter((i): i is PacsInstance => !!i);
    if (instances.length === 0)
      throw new AppError(
        'NOT_FOUND',
        `${this.server.label} lists no instances in series ${seriesInstanceUid} of study ${studyInstanceUid}.`,
      );
    return instances;
  }

  /** One instance's DICOM bytes (Part 10), as the server stores it when it can send that. */
  async retrieveInstance(
    uids: { studyInstanceUid: string; seriesInstanceUid: string; sopInstanceUid: string },
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const path =
      `/studies/${enc(uids.studyInstanceUid)}/series/${enc(uids.seriesInstanceUid)}` +
      `/instances/${enc(uids.sopInstanceUid)}`;
    const what = `retrieving instance ${uids.sopInstanceUid}`;
    const request = (accept: string, acceptStatuses?: number[]) =>
      this.call({
        method: 'GET',
        path,
        accept,
        maxBytes: this.limits.instanceBytes,
        what,
        signal,
        acceptStatuses,
      });
    let answer = await request(ANY_SYNTAX, [406]);
    // A server that will not send "any" syntax sends its default one instead.
    if (answer.status === 406) answer = await request(DEFAULT_SYNTAX);
    return this.dicomPart(answer, what);
  }

  private dicomPart(answer: HttpAnswer, what: string): Uint8Array {
    const type = parseContentType(answer.contentType);
    if (type.mediaType === 'application/dicom') return answer.body;
    if (type.mediaType !== 'multipart/related' || !type.params.boundary)
      throw this.malformed(
        what,
        `of type "${answer.contentType || 'none'}", not multipart/related`,
      );
    let parts;
    try {
      parts = parseMultipart(answer.body, type.params.boundary);
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      throw this.malformed(what, `a broken multipart body (${error.message})`);
    }
    const dicom = parts.filter((p) => {
      const partType = p.headers['content-type'];
      return !partType || parseContentType(partType).mediaType === 'application/dicom';
    });
    if (dicom.length !== 1)
      throw this.malformed(what, `a multipart body with ${dicom.length} DICOM parts instead of 1`);
    return dicom[0]!.body;
  }

  /** STOW-RS: stores instances (Part 10 bytes) in one request, into `studyInstanceUid`. */
  async store(
    instances: Uint8Array[],
    studyInstanceUid: string | undefined,
    signal?: AbortSignal,
  ): Promise<StowOutcome> {
    const { body, contentType } = buildMultipart(
      instances.map((bytes) => ({ contentType: 'application/dicom', body: bytes })),
      'application/dicom',
    );
    const what = `storing ${instances.length} instance${instances.length === 1 ? '' : 's'} (${formatBytes(body.length)})`;
    const answer = await this.call({
      method: 'POST',
      path: studyInstanceUid ? `/studies/${enc(studyInstanceUid)}` : '/studies',
      accept: DICOM_JSON,
      contentType,
      body,
      maxBytes: this.limits.storeAnswerBytes,
      what,
      signal,
      // 202: some stored, some not; 409: none stored — both say which in the body.
      acceptStatuses: [202, 409],
    });
    return this.stowOutcome(answer, what);
  }

  private stowOutcome(answer: HttpAnswer, what: string): StowOutcome {
    let json: unknown = {};
    if (answer.body.length > 0) {
      try {
        json = JSON.parse(answer.body.toString('utf8'));
      } catch {
        if (answer.status === 200) return { stored: [], failed: [], warnings: [] };
        throw this.malformed(what, 'not JSON');
      }
    }
    const ds = (Array.isArray(json) ? json[0] : json) as DicomJsonDataset | undefined;
    if (!ds || typeof ds !== 'object') throw this.malformed(what, 'not a DICOM JSON data set');
    const reason = (item: DicomJsonDataset, tag: string) => {
      const code = jsonNumber(item, tag);
      return code === undefined
        ? 'no reason given'
        : `${FAILURE_REASONS[code] ?? 'status'} (0x${code.toString(16).toUpperCase().padStart(4, '0')})`;
    };
    const uidOf = (item: DicomJsonDataset) => jsonText(item, TAG.referencedSopInstanceUid) ?? '?';
    const referenced = jsonItems(ds, TAG.referencedSopSequence);
    return {
      stored: referenced.map(uidOf),
      failed: jsonItems(ds, TAG.failedSopSequence).map((item) => ({
        sopInstanceUid: uidOf(item),
        reason: reason(item, TAG.failureReason),
      })),
      warnings: referenced
        .filter((item) => jsonNumber(item, TAG.warningReason) !== undefined)
        .map((item) => ({ sopInstanceUid: uidOf(item), reason: reason(item, TAG.warningReason) })),
    };
  }
}

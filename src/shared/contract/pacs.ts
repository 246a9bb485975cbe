// API contract, pacs namespace (shared): the hospital's PACS over DICOMweb — registered sources
// (a base URL and credentials, kept per user and never shown back), QIDO-RS search of studies
// and series, retrieving series into studies as a job (resumable), and the results going back
// as DICOM Segmentation objects (to a folder, or STOW-RS to each study's own source) as a job;
// plus attaching a DICOM SEG file (ours or another tool's) to its study as a label version.
import { z } from 'zod';
import { studyIdSchema as studyId } from './ids';
import type { LabelClass, LabelVersion, StudySummary } from './project';

export const PACS_AUTH_KINDS = ['none', 'basic', 'bearer'] as const;
export type PacsAuthKind = (typeof PACS_AUTH_KINDS)[number];

/** A DICOM UID: digits and dots, at most 64 characters. */
export const dicomUidSchema = z
  .string()
  .max(64)
  .regex(/^[0-9]+(\.[0-9]+)*$/, 'a DICOM UID (digits and dots, e.g. 1.2.840.1234)');

export const pacsSourceIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    "a source ID: 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

/** A registered source's ID, or a DICOMweb base URL (http or https) given directly. */
const serverRef = z.string().min(1).max(2048);

/** YYYYMMDD or YYYY-MM-DD. */
const dicomDate = z.string().regex(/^\d{4}-?\d{2}-?\d{2}$/, 'a date as YYYY-MM-DD or YYYYMMDD');

/** Secrets are optional on save: absent keeps the stored one (or leaves it to the environment). */
export const pacsAuthInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('basic'),
    username: z.string().min(1).max(256),
    password: z.string().max(4096).optional(),
  }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(16384).optional() }),
]);
export type PacsAuthInput = z.infer<typeof pacsAuthInputSchema>;

export const pacsSourceInputSchema = z.object({
  id: pacsSourceIdSchema,
  /** Shown in lists and messages (default: the ID). */
  name: z.string().min(1).max(128).optional(),
  /** The DICOMweb service root, e.g. https://pacs.example.org/dicom-web (no credentials). */
  baseUrl: z.string().min(1).max(2048),
  auth: pacsAuthInputSchema,
  /** A request that makes no progress this long fails (default 30 s). */
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
});
export type PacsSourceInput = z.infer<typeof pacsSourceInputSchema>;

/** Where a source's secret comes from: the per-user file, the environment, or nowhere yet. */
export type PacsSecretOrigin = 'stored' | 'environment' | 'missing' | 'none';

/** A registered source as the UI may show it: never its password or token. */
export interface PacsSourceSummary {
  id: string;
  name: string;
  baseUrl: string;
  auth: { kind: PacsAuthKind; username?: string };
  secret: PacsSecretOrigin;
  timeoutSeconds: number;
  addedAt: string;
}

export const pacsStudyFiltersSchema = z.object({
  /** Matched anywhere in the name, case-insensitively; * and ? are wildcards. */
  patientName: z.string().min(1).max(64).optional(),
  patientId: z.string().min(1).max(64).optional(),
  /** e.g. MR, CT (studies: any series of that modality). */
  modality: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,16}$/, 'a modality code such as MR or CT')
    .optional(),
  studyDateFrom: dicomDate.optional(),
  studyDateTo: dicomDate.optional(),
  /** Matched anywhere in the study description; * and ? are wildcards. */
  description: z.string().min(1).max(64).optional(),
  accessionNumber: z.string().min(1).max(16).optional(),
  studyInstanceUid: dicomUidSchema.optional(),
  /** At most this many rows (default 100); `truncated` says when more matched. */
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).max(1_000_000).optional(),
});
export type PacsStudyFilters = z.infer<typeof pacsStudyFiltersSchema>;

export const pacsSeriesFiltersSchema = pacsStudyFiltersSchema.extend({
  seriesInstanceUid: dicomUidSchema.optional(),
  /** Matched anywhere in the series description; * and ? are wildcards. */
  seriesDescription: z.string().min(1).max(64).optional(),
});
export type PacsSeriesFilters = z.infer<typeof pacsSeriesFiltersSchema>;

export interface PacsStudy {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  patientBirthDate?: string;
  patientSex?: string;
  /** YYYYMMDD as the server gave it. */
  studyDate?: string;
  studyTime?: string;
  studyDescription: string;
  accessionNumber?: string;
  modalities: string[];
  seriesCount?: number;
  instanceCount?: number;
}

export interface PacsSeries {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  modality: string;
  seriesDescription: string;
  seriesNumber?: number;
  instanceCount?: number;
  seriesDate?: string;
  patientName?: string;
  patientId?: string;
  /** The open project's study this series already became, if any. */
  importedAs?: string;
}

export const PACS_JOB_KINDS = ['retrieve', 'exportSeg'] as const;
export type PacsJobKind = (typeof PACS_JOB_KINDS)[number];
export type PacsJobPhase =
  | 'starting'
  | 'listing'
  | 'downloading'
  | 'importing'
  | 'writing'
  | 'sending'
  | 'finished'
  | 'failed'
  | 'cancelled';

export interface PacsProgress {
  /** Instances (retrieve) or studies (export) done of total. */
  done: number;
  total: number;
  /** What was just done ('' before the first). */
  item: string;
  /** From the rate so far; absent until it can be estimated. */
  etaSeconds?: number;
  /** Retrieve: instances found already downloaded by an interrupted run (counted in done). */
  resumed?: number;
  /** Retrieve: bytes downloaded by this run. */
  bytes?: number;
}

export interface PacsRetrieveResult {
  imported: { id: string; seriesInstanceUid: string; labeled: boolean; warnings: string[] }[];
  /** DICOM SEG series retrieved and attached to their studies as label versions. */
  segmentations: { studyId: string; versionId: string; sopInstanceUid: string }[];
  skipped: { source: string; reason: string }[];
  warnings: string[];
  /** Instances downloaded by this run, and found from an interrupted one. */
  downloaded: number;
  resumed: number;
}

export interface PacsExportedSeg {
  studyId: string;
  labelVersion: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  segments: number;
  frames: number;
  /** Folder export: the file written. */
  path?: string;
  /** STOW-RS: the server it was stored on (name or URL, no credentials). */
  server?: string;
}

export interface PacsExportResult {
  exported: PacsExportedSeg[];
  skipped: { studyId: string; reason: string }[];
}

export interface PacsJobState {
  id: string;
  kind: PacsJobKind;
  phase: PacsJobPhase;
  startedAt: string;
  finishedAt?: string;
  /** Retrieve: the server (name or URL, no credentials); export: the destination. */
  target: string;
  progress?: PacsProgress;
  retrieve?: PacsRetrieveResult;
  export?: PacsExportResult;
  error?: { code: string; message: string };
}

/** Instances an interrupted retrieve left in the project, waiting for the same retrieve again. */
export interface PartialRetrieve {
  key: string;
  baseUrl: string;
  sourceId?: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  downloaded: number;
  total: number;
  startedAt: string;
}

/** Whether a study can get a DICOM SEG, and where `stow` would send it. */
export interface SegTarget {
  studyId: string;
  possible: boolean;
  /** Why not, when not possible. */
  reason?: string;
  /** The DICOMweb source the study came from (absent: a local DICOM folder). */
  dicomweb?: { sourceId?: string; baseUrl: string };
}

export interface SegImportResult {
  studyId: string;
  version: LabelVersion;
  study: StudySummary;
  /** Each segment of the SEG and the label value it became. */
  segments: { number: number; label: string; value: number; voxels: number }[];
  /** Label classes added to the project for segments no class matched. */
  addedLabels: LabelClass[];
  warnings: string[];
}

const retrieveSeriesSchema = z.object({
  /** Looked up on the server when absent. */
  studyInstanceUid: dicomUidSchema.optional(),
  seriesInstanceUid: dicomUidSchema,
});

export const pacsParamSchemas = {
  /** The registered DICOMweb sources of this user (no secrets). Works without a project. */
  'pacs.listSources': z.object({}),
  /** Add or replace a source; its secret goes to a file only this user can read. */
  'pacs.saveSource': pacsSourceInputSchema,
  'pacs.removeSource': z.object({ sourceId: pacsSourceIdSchema }),
  /** One small QIDO-RS query: whether the server answers and accepts the credentials. */
  'pacs.testSource': z.object({ server: serverRef }),
  /** QIDO-RS studies. Works without a project. */
  'pacs.searchStudies': pacsStudyFiltersSchema.extend({ server: serverRef }),
  /** QIDO-RS series (of one study, or across studies); `importedAs` when a project is open. */
  'pacs.searchSeries': pacsSeriesFiltersSchema.extend({ server: serverRef }),
  /**
   * WADO-RS retrieve of series into new studies (the local DICOM import's geometry rules), as
   * the project's PACS job: per-instance progress, cancel keeps what was downloaded, the same
   * retrieve again resumes it; never a half study. A DICOM SEG series is attached to its study.
   */
  'pacs.retrieve': z.object({
    server: serverRef,
    series: z.array(retrieveSeriesSchema).min(1).max(200),
    /** Instances downloaded at once (default 4). */
    parallel: z.number().int().min(1).max(16).optional(),
    replaceNonFinite: z.boolean().optional(),
    repairGeometry: z.boolean().optional(),
  }),
  /**
   * DICOM SEG of each chosen study's current finished label, as a job: into `outDir`
   * (<study>.seg.dcm), and/or STOW-RS to each study's own DICOMweb source (`stow`) or to one
   * server for all (`stowTo`). Studies not imported from DICOM are skipped with the reason.
   */
  'pacs.exportSeg': z
    .object({
      outDir: z.string().min(1).optional(),
      stow: z.boolean().optional(),
      stowTo: serverRef.optional(),
      studies: z.array(studyId).min(1).optional(),
      only: z.enum(['human', 'accepted']).optional(),
    })
    .refine((p) => p.outDir !== undefined || p.stow === true || p.stowTo !== undefined, {
      message: 'give outDir, stow or stowTo',
    }),
  /** The running or last PACS job, and retrieves an interruption left to resume. */
  'pacs.status': z.object({}),
  'pacs.cancel': z.object({}),
  /** Delete the instances an interrupted retrieve left (see pacs.status). */
  'pacs.discardPartial': z.object({ key: z.string().regex(/^[0-9a-f]{16}$/) }),
  /** Which studies can get a DICOM SEG, and where each would be stored. */
  'pacs.segTargets': z.object({}),
  /**
   * Attach a DICOM SEG file (absolute path) as a new label version of the study it was drawn
   * on (found by its referenced series, or Frame of Reference and plane positions; or the
   * named study, checked). Segments become label values by name or code; unmatched ones are
   * added as label classes.
   */
  'pacs.importSeg': z.object({
    path: z.string().min(1),
    studyId: studyId.optional(),
    draft: z.boolean().optional(),
  }),
} as const;

export interface PacsApiResults {
  'pacs.listSources': { sources: PacsSourceSummary[]; configFile: string | null };
  'pacs.saveSource': { source: PacsSourceSummary };
  'pacs.removeSource': { removed: boolean };
  'pacs.testSource': { server: string; ok: true; latencyMs: number };
  'pacs.searchStudies': { server: string; studies: PacsStudy[]; truncated: boolean };
  'pacs.searchSeries': { server: string; series: PacsSeries[]; truncated: boolean };
  'pacs.retrieve': { job: PacsJobState };
  'pacs.exportSeg': { job: PacsJobState };
  'pacs.status': { job: PacsJobState | null; partial: PartialRetrieve[] };
  'pacs.cancel': { job: PacsJobState | null };
  'pacs.discardPartial': { discarded: boolean };
  'pacs.segTargets': { studies: SegTarget[] };
  'pacs.importSeg': SegImportResult;
}

// The DICOM JSON model (PS3.18 F.2) that QIDO-RS and STOW-RS answer with (plain Node): typed
// reads of an attribute's first value, all values or a person name, and the check that an
// answer is an array of data sets at all.

export interface DicomJsonAttribute {
  vr?: string;
  Value?: unknown[];
}

export type DicomJsonDataset = Record<string, DicomJsonAttribute | undefined>;

/** Tags as the model writes them: 8 upper-case hex digits, e.g. "0020000D". */
export const TAG = {
  specificCharacterSet: '00080005',
  studyDate: '00080020',
  studyTime: '00080030',
  seriesDate: '00080021',
  accessionNumber: '00080050',
  modality: '00080060',
  modalitiesInStudy: '00080061',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  sopClassUid: '00080016',
  sopInstanceUid: '00080018',
  retrieveUrl: '00081190',
  failedSopSequence: '00081198',
  referencedSopSequence: '00081199',
  failureReason: '00081197',
  warningReason: '00081196',
  referencedSopInstanceUid: '00081155',
  patientName: '00100010',
  patientId: '00100020',
  patientBirthDate: '00100030',
  patientSex: '00100040',
  studyInstanceUid: '0020000D',
  seriesInstanceUid: '0020000E',
  seriesNumber: '00200011',
  instanceNumber: '00200013',
  studySeriesCount: '00201206',
  studyInstanceCount: '00201208',
  seriesInstanceCount: '00201209',
} as const;

function values(ds: DicomJsonDataset, tag: string): unknown[] {
  const attribute = ds[tag] ?? ds[tag.toLowerCase()];
  return Array.isArray(attribute?.Value) ? attribute.Value : [];
}

/** A person name's alphabetic form (PN values are objects), or any other value as text. */
function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && 'Alphabetic' in value) {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic : undefined;
  }
  return undefined;
}

export function jsonText(ds: DicomJsonDataset, tag: string): string | undefined {
  const text = asText(values(ds, tag)[0])?.trim();
  return text ? text : undefined;
}

export function jsonTexts(ds: DicomJsonDataset, tag: string): string[] {
  return values(ds, tag)
    .map((v) => asText(v)?.trim())
    .filter((v): v is string => !!v);
}

export function jsonNumber(ds: DicomJsonDataset, tag: string): number | undefined {
  const raw = values(ds, tag)[0];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** The items of a sequence attribute. */
export function jsonItems(ds: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  return values(ds, tag).filter(
    (v): v is DicomJsonDataset => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
}

/** The data sets of a QIDO-RS answer; undefined when it is not an array of objects. */
export function asDatasets(json: unknown): DicomJsonDataset[] | undefined {
  if (!Array.isArray(json)) return undefined;
  if (!json.every((d) => typeof d === 'object' && d !== null && !Array.isArray(d)))
    return undefined;
  return json as DicomJsonDataset[];
}

// Patient, study and frame-of-reference attributes of a source image (plain Node): what a
// derived object (a DICOM SEG) must carry over to sit in the same patient and study. Text is
// decoded by the file's SpecificCharacterSet (UTF-8, the ISO 8859 parts, GB18030, Shift-JIS),
// so a name with accents or CJK characters survives the round trip.
import { TextDecoder } from 'node:util';
import type { DataSet } from 'dicom-parser';

/** Keyword → tag of the attributes carried over (Patient and General Study modules). */
export const CARRIED_ATTRIBUTES = {
  PatientName: 'x00100010',
  PatientID: 'x00100020',
  IssuerOfPatientID: 'x00100021',
  PatientBirthDate: 'x00100030',
  PatientSex: 'x00100040',
  PatientAge: 'x00101010',
  StudyDate: 'x00080020',
  StudyTime: 'x00080030',
  AccessionNumber: 'x00080050',
  ReferringPhysicianName: 'x00080090',
  StudyDescription: 'x00081030',
  StudyID: 'x00200010',
  PositionReferenceIndicator: 'x00201040',
} as const;
export type CarriedAttribute = keyof typeof CARRIED_ATTRIBUTES;

/** DICOM defined terms (PS3.3 C.12.1.1.2) → WHATWG encoding labels TextDecoder knows. */
const CHARSETS: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** The decoder for a file's character set; latin1 for the default and anything unknown. */
export function textDecoderFor(specificCharacterSet: string | undefined): TextDecoder {
  // Several values mean code extensions (ISO 2022); the first names the default repertoire.
  const first = (specificCharacterSet ?? '')
    .split('\\')
    .find((v) => v.trim() !== '')
    ?.trim();
  const label = (first && CHARSETS[first]) || 'latin1';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('latin1');
  }
}

/** The carried-over attributes a file holds (absent ones left out), decoded and trimmed. */
export function readCarriedAttributes(ds: DataSet): Partial<Record<CarriedAttribute, string>> {
  const decoder = textDecoderFor(ds.string('x00080005'));
  const out: Partial<Record<CarriedAttribute, string>> = {};
  for (const [keyword, tag] of Object.entries(CARRIED_ATTRIBUTES) as [CarriedAttribute, string][]) {
    const element = ds.elements[tag];
    if (!element || element.length === 0 || element.dataOffset === undefined) continue;
    const end = Math.min(element.dataOffset + element.length, ds.byteArray.length);
    const bytes = ds.byteArray.subarray(element.dataOffset, end);
    const value = decoder.decode(bytes).replace(/\0/g, '').trim();
    if (value) out[keyword] = value;
  }
  return out;
}

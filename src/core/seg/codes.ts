// Coded concepts of segments (plain Node): a label name a person typed ("Left atrium",
// "liver", "brain tumour") becomes the SNOMED CT (SCT) category and type codes a DICOM SEG
// carries (PS3.16 CID 7150/7151; codes as in dcmqi's DICOM-master context), with laterality
// as a type modifier and an organ's tumour as Neoplasm in that anatomic region. A name that
// maps to nothing known gets the generic code, SCT 85756007 "Tissue", as category and type.

export interface CodedConcept {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export interface SegmentCodes {
  category: CodedConcept;
  type: CodedConcept;
  typeModifier?: CodedConcept;
  /** Where a morphologically altered structure (a tumour) is. */
  anatomicRegion?: CodedConcept;
  /** True when the name matched nothing and the generic code stands in. */
  generic: boolean;
}

const sct = (CodeValue: string, CodeMeaning: string): CodedConcept => ({
  CodeValue,
  CodingSchemeDesignator: 'SCT',
  CodeMeaning,
});

export const CATEGORY = {
  anatomy: sct('123037004', 'Anatomical Structure'),
  tissue: sct('85756007', 'Tissue'),
  altered: sct('49755003', 'Morphologically Altered Structure'),
};

/** The documented fallback for names no code is known for. */
export const GENERIC_TYPE = sct('85756007', 'Tissue');

const LEFT = sct('7771000', 'Left');
const RIGHT = sct('24028007', 'Right');
const NEOPLASM = sct('108369006', 'Neoplasm');

interface Structure {
  names: string[];
  category: CodedConcept;
  type: CodedConcept;
  modifier?: CodedConcept;
}

const anatomy = (names: string[], type: CodedConcept, modifier?: CodedConcept): Structure => ({
  names,
  category: CATEGORY.anatomy,
  type,
  ...(modifier ? { modifier } : {}),
});

const KIDNEY = sct('64033007', 'Kidney');
const LUNG = sct('39607008', 'Lung');

/** Organs and structures by the names people use (lower case, single spaces). */
const STRUCTURES: Structure[] = [
  anatomy(
    ['left atrium', 'la', 'left atrial', 'left atrium of heart'],
    sct('82471001', 'Left atrium'),
  ),
  anatomy(['right atrium', 'ra'], sct('73829009', 'Right atrium')),
  anatomy(['left ventricle', 'lv'], sct('87878005', 'Left ventricle')),
  anatomy(['right ventricle', 'rv'], sct('53085002', 'Right ventricle')),
  anatomy(['heart'], sct('80891009', 'Heart')),
  anatomy(['aorta'], sct('15825003', 'Aorta')),
  anatomy(['liver'], sct('10200004', 'Liver')),
  anatomy(['spleen'], sct('78961009', 'Spleen')),
  anatomy(['pancreas'], sct('15776009', 'Pancreas')),
  anatomy(['kidney', 'kidneys'], KIDNEY),
  anatomy(['left kidney'], KIDNEY, LEFT),
  anatomy(['right kidney'], KIDNEY, RIGHT),
  anatomy(['lung', 'lungs'], LUNG),
  anatomy(['left lung'], LUNG, LEFT),
  anatomy(['right lung'], LUNG, RIGHT),
  anatomy(['prostate', 'prostate gland'], sct('41216001', 'Prostate')),
  anatomy(['brain'], sct('12738006', 'Brain')),
  anatomy(['hippocampus'], sct('5366008', 'Hippocampus')),
  anatomy(['cerebellum'], sct('113305005', 'Cerebellum')),
  anatomy(['gallbladder', 'gall bladder'], sct('28231008', 'Gallbladder')),
  anatomy(['stomach'], sct('69695003', 'Stomach')),
  anatomy(['esophagus', 'oesophagus'], sct('32849002', 'Esophagus')),
  anatomy(['colon'], sct('71854001', 'Colon')),
  anatomy(['rectum'], sct('34402009', 'Rectum')),
  anatomy(['bladder', 'urinary bladder'], sct('89837001', 'Bladder')),
  anatomy(['spinal cord'], sct('2748008', 'Spinal cord')),
  anatomy(['thyroid', 'thyroid gland'], sct('69748006', 'Thyroid')),
  anatomy(['trachea'], sct('44567001', 'Trachea')),
  anatomy(['adrenal gland', 'adrenal'], sct('23451007', 'Adrenal gland')),
  anatomy(['uterus'], sct('35039007', 'Uterus')),
  { names: ['bone'], category: CATEGORY.tissue, type: sct('272673000', 'Bone') },
  { names: ['muscle'], category: CATEGORY.tissue, type: sct('71616004', 'Muscle') },
  { names: ['fat', 'body fat'], category: CATEGORY.tissue, type: sct('248300009', 'Body fat') },
  { names: ['edema', 'oedema'], category: CATEGORY.altered, type: sct('79654002', 'Edema') },
  { names: ['necrosis'], category: CATEGORY.altered, type: sct('6574001', 'Necrosis') },
  { names: ['mass'], category: CATEGORY.altered, type: sct('4147007', 'Mass') },
];

const TUMOUR_WORDS = ['tumour', 'tumor', 'tumours', 'tumors', 'neoplasm', 'lesion', 'cancer'];

/** "Left_Atrium", "left-atrium " → "left atrium". */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_\-./]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function structureNamed(name: string): Structure | undefined {
  return STRUCTURES.find((s) => s.names.includes(name));
}

/** The codes for a label name (never fails: unknown names get the generic code). */
export function segmentCodes(name: string): SegmentCodes {
  const normalized = normalizeName(name);
  const known = structureNamed(normalized);
  if (known)
    return {
      category: known.category,
      type: known.type,
      ...(known.modifier ? { typeModifier: known.modifier } : {}),
      generic: false,
    };
  const words = normalized.split(' ');
  const last = words[words.length - 1]!;
  if (TUMOUR_WORDS.includes(last)) {
    const organ = structureNamed(words.slice(0, -1).join(' '));
    return {
      category: CATEGORY.altered,
      type: NEOPLASM,
      ...(organ && organ.category === CATEGORY.anatomy ? { anatomicRegion: organ.type } : {}),
      generic: false,
    };
  }
  return { category: CATEGORY.tissue, type: GENERIC_TYPE, generic: true };
}

/** "SCT:82471001" (+ ":SCT:7771000" with a modifier): compares a segment with a label name. */
export function codeKey(
  type: CodedConcept,
  modifier?: CodedConcept,
  region?: CodedConcept,
): string {
  const key = (c: CodedConcept) => `${c.CodingSchemeDesignator.toUpperCase()}:${c.CodeValue}`;
  return [key(type), modifier ? key(modifier) : '', region ? key(region) : ''].join('|');
}

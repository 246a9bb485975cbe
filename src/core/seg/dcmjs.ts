// The parts of dcmjs we use (plain Node), typed, loaded on first use: dcmjs is large, and only
// SEG export and import need it. Its logger is turned down to errors, so its chatter about
// the files it reads never reaches the CLI's output.

/** A naturalized data set: attributes by keyword; sequences as arrays (or one object). */
export type NaturalDataset = Record<string, unknown> & {
  _vrMap?: Record<string, string>;
  _meta?: Record<string, unknown>;
};

export interface SegmentationDerivation {
  dataset: NaturalDataset;
  setNumberOfFrames(frames: number): void;
  addSegment(segment: Record<string, unknown>, pixelData: Uint8Array, frameNumbers: number[]): void;
  bitPackPixelData(): void;
}

export interface Dcmjs {
  data: {
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: Record<string, unknown>,
      ): { dict: unknown; meta: unknown };
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: unknown): NaturalDataset;
      sopClassUIDsByName: Record<string, string>;
    };
    BitArray: { unpack(packed: Uint8Array): Uint8Array };
    Colors: {
      rgb2DICOMLAB(rgb: [number, number, number]): [number, number, number];
      dicomlab2RGB(lab: [number, number, number]): [number, number, number];
    };
    datasetToBuffer(dataset: NaturalDataset): Buffer;
  };
  derivations: {
    Segmentation: new (
      datasets: NaturalDataset[],
      options?: Record<string, unknown>,
    ) => SegmentationDerivation;
  };
  log: { setLevel(level: string): void };
}

let loaded: Promise<Dcmjs> | undefined;

export function loadDcmjs(): Promise<Dcmjs> {
  loaded ??= import('dcmjs').then((module) => {
    const dcmjs = (module.default ?? module) as Dcmjs;
    dcmjs.log.setLevel('error');
    return dcmjs;
  });
  return loaded;
}

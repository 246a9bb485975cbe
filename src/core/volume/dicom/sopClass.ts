// SOP classes that are never image slices (plain Node), named so the scan can say why it
// passed over a file instead of failing on it later.

const NON_IMAGE_CLASSES = new Map<string, string>([
  ['1.2.840.10008.1.3.10', 'DICOMDIR (media directory index)'],
  ['1.2.840.10008.5.1.4.1.1.481.3', 'RT Structure Set'],
  ['1.2.840.10008.5.1.4.1.1.481.5', 'RT Plan'],
  ['1.2.840.10008.5.1.4.1.1.481.8', 'RT Ion Plan'],
  ['1.2.840.10008.5.1.4.1.1.481.4', 'RT Beams Treatment Record'],
  ['1.2.840.10008.5.1.4.1.1.66', 'Raw Data'],
  ['1.2.840.10008.5.1.4.1.1.66.1', 'Spatial Registration'],
  ['1.2.840.10008.5.1.4.1.1.66.2', 'Spatial Fiducials'],
  ['1.2.840.10008.5.1.4.1.1.66.3', 'Deformable Spatial Registration'],
  ['1.2.840.10008.5.1.4.1.1.66.4', 'Segmentation'],
  ['1.2.840.10008.5.1.4.1.1.66.5', 'Surface Segmentation'],
  ['1.2.840.10008.5.1.4.1.1.104.1', 'Encapsulated PDF'],
  ['1.2.840.10008.5.1.4.1.1.104.2', 'Encapsulated CDA'],
]);

const NON_IMAGE_PREFIXES: [string, string][] = [
  ['1.2.840.10008.5.1.4.1.1.88.', 'Structured Report'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'Presentation State'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'Waveform'],
];

/** A human name for a non-image SOP class, or undefined for image (or unknown) classes. */
export function nonImageSopClassName(uid: string): string | undefined {
  const exact = NON_IMAGE_CLASSES.get(uid);
  if (exact) return exact;
  return NON_IMAGE_PREFIXES.find(([prefix]) => uid.startsWith(prefix))?.[1];
}

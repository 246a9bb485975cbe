// DICOM values as people read them (renderer, pure): dates YYYYMMDD → YYYY-MM-DD and person
// names "Family^Given^Middle" → "Family, Given Middle".

export function formatDicomDate(value: string | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}

export function formatPersonName(value: string | undefined): string {
  if (!value) return '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = value
    .split('=')[0]!
    .split('^')
    .map((p) => p.trim());
  const first = [prefix, given, middle].filter(Boolean).join(' ');
  const name = [family, first].filter(Boolean).join(', ');
  return suffix ? `${name} ${suffix}` : name;
}

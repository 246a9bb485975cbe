// The studies an export left out, each with why (renderer): one list for the NIfTI and the
// DICOM SEG export results.
export function SkippedStudies({ skipped }: { skipped: { studyId: string; reason: string }[] }) {
  if (skipped.length === 0) return null;
  return (
    <ul className="export-skipped" aria-label="Skipped studies">
      {skipped.map((s) => (
        <li key={s.studyId}>
          {s.studyId}: {s.reason}
        </li>
      ))}
    </ul>
  );
}

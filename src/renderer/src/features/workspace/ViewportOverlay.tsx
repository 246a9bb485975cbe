// One view's overlay (renderer): orientation letters on the four edges, the file slice in view
// (0-based, as the voxel readout and the command line count), the crosshair, and a slice strip
// down the right edge with a tick per annotated slice and a marker at the slice in view. Drawn
// over the canvas and transparent to the pointer.
import { describeSlice, type ViewInfo } from '../../viewer/viewInfo';

export function ViewportOverlay({
  title,
  info,
  color,
  annotated,
  allAnnotated,
}: {
  title: string;
  info: ViewInfo | null;
  color: string;
  /** Annotated file slices along the axis this view looks along. */
  annotated: readonly number[];
  /** A finished annotation: every slice counts as annotated. */
  allAnnotated: boolean;
}) {
  if (!info) return <div className="viewport-overlay" aria-hidden="true" />;
  const [cx, cy] = info.crosshairCanvas;
  const done = allAnnotated || annotated.includes(info.sliceIndex);
  return (
    <div className="viewport-overlay">
      <span className="view-title" style={{ color }}>
        {title}
      </span>
      <span className="slice-label" aria-label={`${title} slice`}>
        {describeSlice(info.sliceIndex, info.sliceCount, info.sliceAxis)}
      </span>
      {done && (
        <span className="slice-done" aria-label={`${title} slice annotated`}>
          ✓ annotated
        </span>
      )}
      <SliceStrip
        title={title}
        info={info}
        annotated={annotated}
        allAnnotated={allAnnotated}
        color={color}
      />
      <span className="edge edge-top" aria-label={`${title} top edge`}>
        {info.edges.top}
      </span>
      <span className="edge edge-bottom" aria-label={`${title} bottom edge`}>
        {info.edges.bottom}
      </span>
      <span className="edge edge-left" aria-label={`${title} left edge`}>
        {info.edges.left}
      </span>
      <span className="edge edge-right" aria-label={`${title} right edge`}>
        {info.edges.right}
      </span>
      <svg className="crosshair" aria-hidden="true">
        <line
          x1={cx}
          x2={cx}
          y1="0"
          y2="100%"
          stroke={color}
          strokeOpacity="0.6"
          strokeDasharray="4 4"
        />
        <line
          x1="0"
          x2="100%"
          y1={cy}
          y2={cy}
          stroke={color}
          strokeOpacity="0.6"
          strokeDasharray="4 4"
        />
      </svg>
    </div>
  );
}

/** Slice 0 at the bottom, the last slice at the top (↑ moves up the slices). */
function SliceStrip({
  title,
  info,
  annotated,
  allAnnotated,
  color,
}: {
  title: string;
  info: ViewInfo;
  annotated: readonly number[];
  allAnnotated: boolean;
  color: string;
}) {
  const last = Math.max(1, info.sliceCount - 1);
  const at = (index: number) => `${100 - (index / last) * 100}%`;
  const count = allAnnotated ? info.sliceCount : annotated.length;
  const listed = allAnnotated ? 'all' : annotated.length ? annotated.join(', ') : 'none';
  return (
    <div
      className={`slice-strip${allAnnotated ? ' all' : ''}`}
      role="img"
      aria-label={`${title} annotated slices: ${count} of ${info.sliceCount} (${listed})`}
    >
      {!allAnnotated &&
        annotated.map((index) => (
          <span key={index} className="slice-tick" style={{ top: at(index) }} />
        ))}
      <span className="slice-here" style={{ top: at(info.sliceIndex), borderColor: color }} />
    </div>
  );
}

// One view's overlay (renderer): orientation letters on the four edges, the file slice in view
// and the crosshair. Drawn over the canvas and transparent to the pointer.
import type { ViewInfo } from '../../viewer/viewInfo';

const AXIS = ['i', 'j', 'k'];

export function ViewportOverlay({
  title,
  info,
  color,
}: {
  title: string;
  info: ViewInfo | null;
  color: string;
}) {
  if (!info) return <div className="viewport-overlay" aria-hidden="true" />;
  const [cx, cy] = info.crosshairCanvas;
  return (
    <div className="viewport-overlay">
      <span className="view-title" style={{ color }}>
        {title}
      </span>
      <span className="slice-label" aria-label={`${title} slice`}>
        Slice {info.sliceIndex + 1} / {info.sliceCount} ({AXIS[info.sliceAxis]})
      </span>
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

// Which label value each segment of an imported SEG becomes (pure): the project's label class
// of the same name, else the one whose name codes to the segment's SCT type; a segment no
// class matches becomes a new class (the next free value, its name, its colour). A project
// still on the untouched default label set with no labels yet takes the SEG's segments as its
// label set, as an imported dataset's names are adopted.
import { DEFAULT_LABELS, type LabelClass } from '../../shared/contract/project';
import { AppError } from '../errors';
import { codeKey, normalizeName, segmentCodes } from './codes';
import type { ParsedSegment } from './read';

export interface SegmentMapping {
  /** Segment number → label value. */
  values: Map<number, number>;
  /** The project's label set after the import (unchanged when nothing was added). */
  classes: LabelClass[];
  added: LabelClass[];
  warnings: string[];
}

const PALETTE = ['#e0533d', '#3d8be0', '#48b04a', '#e0b43d', '#9b59b6', '#1abc9c', '#e67e22'];

function segmentKey(s: ParsedSegment): string | undefined {
  return s.type ? codeKey(s.type, s.typeModifier, s.anatomicRegion) : undefined;
}

function classKey(c: LabelClass): string | undefined {
  const codes = segmentCodes(c.name);
  return codes.generic ? undefined : codeKey(codes.type, codes.typeModifier, codes.anatomicRegion);
}

export function mapSegments(
  segments: ParsedSegment[],
  current: LabelClass[],
  options: { projectHasLabels: boolean; colorOf: (s: ParsedSegment) => string | undefined },
): SegmentMapping {
  const adopt =
    !options.projectHasLabels && JSON.stringify(current) === JSON.stringify(DEFAULT_LABELS);
  const classes = adopt ? [] : [...current];
  const values = new Map<number, number>();
  const added: LabelClass[] = [];
  const warnings: string[] = [];
  for (const segment of [...segments].sort((a, b) => a.number - b.number)) {
    const name = normalizeName(segment.label);
    const key = segmentKey(segment);
    const match =
      classes.find((c) => normalizeName(c.name) === name) ??
      (key ? classes.find((c) => classKey(c) === key) : undefined);
    if (match) {
      values.set(segment.number, match.value);
      if (normalizeName(match.name) !== name)
        warnings.push(
          `segment ${segment.number} "${segment.label}" became label "${match.name}" (same coded structure)`,
        );
      continue;
    }
    const value = nextFreeValue(classes);
    const created: LabelClass = {
      value,
      name: segment.label.slice(0, 64),
      color: options.colorOf(segment) ?? PALETTE[(value - 1) % PALETTE.length]!,
    };
    classes.push(created);
    added.push(created);
    values.set(segment.number, value);
  }
  if (adopt && added.length > 0)
    warnings.push(
      `the project's label set is now the SEG's segments (${added.map((c) => `${c.value}=${c.name}`).join(', ')})`,
    );
  else if (added.length > 0)
    warnings.push(
      `label classes added for segments no class matched: ${added.map((c) => `${c.value}=${c.name}`).join(', ')}`,
    );
  return { values, classes: classes.sort((a, b) => a.value - b.value), added, warnings };
}

function nextFreeValue(classes: LabelClass[]): number {
  for (let v = 1; v <= 255; v++) if (!classes.some((c) => c.value === v)) return v;
  throw new AppError(
    'BAD_INPUT',
    'The project already has 255 label classes; no value is free for another segment.',
  );
}

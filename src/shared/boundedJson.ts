// JSON parsing with a nesting bound (shared, pure): a body of deeply nested brackets makes
// JSON.parse spend seconds and gigabytes before it fails, so the depth is checked first in one
// linear scan that skips string contents.

export const MAX_JSON_DEPTH = 64;

/** The deepest bracket nesting of `text`, stopping early once `limit` is exceeded. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c /* \ */) index++;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) depth--;
  }
  return deepest;
}

/** JSON.parse after refusing nesting deeper than `maxDepth`; throws Error with a plain reason. */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth)
    throw new Error(`JSON nested deeper than ${maxDepth} levels is refused.`);
  return JSON.parse(text);
}

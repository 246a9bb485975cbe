// Unit tests for depth-bounded JSON parsing (pure).
import { describe, expect, it } from 'vitest';
import { jsonDepth, parseBoundedJson } from './boundedJson';

describe('bounded JSON', () => {
  it('measures nesting, ignoring brackets inside strings and escaped quotes', () => {
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('"[[[[[["')).toBe(0);
    expect(jsonDepth('["\\"[[[[", {}]')).toBe(2);
    expect(jsonDepth('12')).toBe(0);
  });

  it('parses ordinary params and refuses deep nesting before JSON.parse sees it', () => {
    expect(parseBoundedJson('{"paths":["/a","/b"],"labeled":2}')).toEqual({
      paths: ['/a', '/b'],
      labeled: 2,
    });
    const deep = '['.repeat(65) + ']'.repeat(65);
    expect(() => parseBoundedJson(deep)).toThrow(/deeper than 64/);
    expect(parseBoundedJson('['.repeat(64) + ']'.repeat(64))).toBeInstanceOf(Array);
    // An unterminated million-deep body fails in the scan, without building anything.
    expect(() => parseBoundedJson('['.repeat(1_000_000))).toThrow(/deeper than/);
  });
});

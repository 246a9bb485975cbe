import { describe, expect, it } from 'vitest';
import { codeKey, segmentCodes } from './codes';
import { derivedUid, randomUid } from './uids';

describe('segment codes', () => {
  it('maps common structures to their SCT codes, whatever the spelling', () => {
    const cases: [string, string, string][] = [
      ['Left atrium', '123037004', '82471001'],
      ['left_atrium', '123037004', '82471001'],
      ['LIVER', '123037004', '10200004'],
      ['kidney', '123037004', '64033007'],
      ['Spleen', '123037004', '78961009'],
      ['pancreas', '123037004', '15776009'],
      ['prostate', '123037004', '41216001'],
      ['lung', '123037004', '39607008'],
      ['heart', '123037004', '80891009'],
      ['brain tumour', '49755003', '108369006'],
      ['tumor', '49755003', '108369006'],
    ];
    for (const [name, category, type] of cases) {
      const codes = segmentCodes(name);
      expect([name, codes.category.CodeValue, codes.type.CodeValue]).toEqual([
        name,
        category,
        type,
      ]);
      expect(codes.generic).toBe(false);
    }
  });

  it('adds laterality and the tumour’s organ', () => {
    expect(segmentCodes('Left kidney').typeModifier?.CodeValue).toBe('7771000');
    expect(segmentCodes('right-lung').typeModifier?.CodeValue).toBe('24028007');
    expect(segmentCodes('Brain tumour').anatomicRegion?.CodeValue).toBe('12738006');
    expect(
      codeKey(segmentCodes('left kidney').type, segmentCodes('left kidney').typeModifier),
    ).not.toBe(codeKey(segmentCodes('kidney').type));
  });

  it('gives unknown names the documented generic code', () => {
    const codes = segmentCodes('target');
    expect(codes.generic).toBe(true);
    expect(codes.category).toEqual({
      CodeValue: '85756007',
      CodingSchemeDesignator: 'SCT',
      CodeMeaning: 'Tissue',
    });
    expect(codes.type.CodeValue).toBe('85756007');
  });
});

describe('UIDs', () => {
  it('are 2.25 UIDs: derived ones repeat for the same parts only', () => {
    const uid = derivedUid('a', 'b');
    expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    expect(uid.length).toBeLessThanOrEqual(64);
    expect(derivedUid('a', 'b')).toBe(uid);
    expect(derivedUid('ab')).not.toBe(uid);
    expect(derivedUid('a', 'c')).not.toBe(uid);
    expect(randomUid()).not.toBe(randomUid());
    // Version 8 and the RFC 4122 variant are set in the UUID the integer holds.
    const hex = BigInt(uid.slice(5)).toString(16).padStart(32, '0');
    expect(hex[12]).toBe('8');
    expect(['8', '9', 'a', 'b']).toContain(hex[16]);
  });
});

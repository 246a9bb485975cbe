// The renderer's Content-Security-Policy (Node): strict where it matters (no inline or eval'd
// script, no plugins, no framing), and written into index.html once, before any script.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER, withCspMeta } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

describe('Content-Security-Policy', () => {
  it('allows scripts and workers from the app only, and no eval', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
    // frame-ancestors is ignored (with a console error) in a meta tag: header only.
    expect(policy.has('frame-ancestors')).toBe(false);
    expect(directives(CONTENT_SECURITY_POLICY_HEADER).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('puts the policy before any script, after the charset, replacing an older one', () => {
    const html =
      '<!doctype html><html><head>\n<meta charset="UTF-8" />\n' +
      '<meta http-equiv="Content-Security-Policy" content="default-src *" />\n' +
      '<script type="module" src="./assets/index.js"></script></head><body></body></html>';
    const out = withCspMeta(html);
    expect(out.match(/Content-Security-Policy/g)).toHaveLength(1);
    expect(out).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<script'));
    expect(out.indexOf('charset')).toBeLessThan(out.indexOf('Content-Security-Policy'));
    expect(withCspMeta('<html><head><title>x</title></head></html>')).toMatch(
      /<head>\n {4}<meta http-equiv/,
    );
    expect(withCspMeta(out)).toBe(out);
    expect(() => withCspMeta('<p>no head</p>')).toThrow(/no <head>/);
  });
});

// IPC sender checks (Node): only the app page's main frame, at the app origin, may call the API.
import { describe, expect, it } from 'vitest';
import { isTrustedSender, originOf } from './trustedSender';

const APP = ['simcvd://app'];

describe('trusted IPC senders', () => {
  it('derives origins for custom schemes too', () => {
    expect(originOf('simcvd://app/index.html')).toBe('simcvd://app');
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173');
    expect(originOf('file:///x/index.html')).toBeNull();
    expect(originOf('about:blank')).toBeNull();
    expect(originOf(undefined)).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });

  it('accepts the app page and refuses frames, other windows and other origins', () => {
    const page = { frameUrl: 'simcvd://app/index.html', isMainFrame: true, fromAppWindow: true };
    expect(isTrustedSender(page, APP)).toBe(true);
    expect(isTrustedSender({ ...page, isMainFrame: false }, APP)).toBe(false);
    expect(isTrustedSender({ ...page, fromAppWindow: false }, APP)).toBe(false);
    expect(isTrustedSender({ ...page, frameUrl: 'https://evil.example/' }, APP)).toBe(false);
    expect(isTrustedSender({ ...page, frameUrl: 'simcvd://other/index.html' }, APP)).toBe(false);
    expect(isTrustedSender({ ...page, frameUrl: 'file:///tmp/index.html' }, APP)).toBe(false);
    expect(isTrustedSender({ ...page, frameUrl: undefined }, APP)).toBe(false);
  });
});

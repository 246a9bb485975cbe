// Which renderer frames may call the API over IPC (Electron main, pure): only the app's own
// page — never an iframe, a page navigated elsewhere, or another origin that somehow got the
// preload. Parameters are validated afterwards by the workspace, as for every transport.

/** `scheme://host[:port]` of a URL; also for custom schemes, whose WHATWG origin is "null". */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export interface SenderInfo {
  /** URL of the frame that sent the message (event.senderFrame.url). */
  frameUrl: string | undefined;
  /** The sending frame is its page's main frame (not an iframe). */
  isMainFrame: boolean;
  /** The message came from the app window's web contents. */
  fromAppWindow: boolean;
}

export function isTrustedSender(sender: SenderInfo, allowedOrigins: readonly string[]): boolean {
  if (!sender.fromAppWindow || !sender.isMainFrame) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== null && allowedOrigins.includes(origin);
}

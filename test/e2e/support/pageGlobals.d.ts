// Types for code the browser tests run inside the page (page.evaluate / waitForFunction): the
// Node test tsconfig has no DOM library, so declare just what those callbacks touch.
import type { SimcvdTestHooks } from '../../../src/renderer/src/viewer/testHooksApi';

declare global {
  const window: { __simcvd?: SimcvdTestHooks };
  const document: {
    querySelector(
      selector: string,
    ): { textContent: string | null; getAttribute(name: string): string | null } | null;
    getElementById(id: string): { textContent: string | null } | null;
  };
  interface HTMLInputElement {
    labels: ArrayLike<{ textContent: string | null }> | null;
  }
}

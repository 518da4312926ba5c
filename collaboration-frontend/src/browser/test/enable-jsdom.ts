/**
 * Import this first in a spec that loads browser code: it installs Theia's
 * jsdom (the DOM globals browser modules expect at import time), the
 * DragEvent that jsdom lacks (@lumino/dragdrop needs it on import), and an
 * empty frontend application config. Call `disableJSDOM()` in the suite's
 * `after` hook.
 */
import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';

const disableDom = enableJSDOM();

const globals = globalThis as unknown as { DragEvent?: unknown; MouseEvent: typeof MouseEvent };
if (globals.DragEvent === undefined) {
    globals.DragEvent = class DragEvent extends globals.MouseEvent { };
}

// eslint-disable-next-line import/first
import { FrontendApplicationConfigProvider } from '@theia/core/lib/browser/frontend-application-config-provider';
FrontendApplicationConfigProvider.set({});

export function disableJSDOM(): void {
    disableDom();
}

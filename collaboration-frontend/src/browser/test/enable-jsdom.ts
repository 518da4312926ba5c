/**
 * Import this first in a spec that loads browser code: it installs Theia's
 * jsdom (the DOM globals browser modules expect at import time), the
 * DragEvent that jsdom lacks (@lumino/dragdrop needs it on import), and an
 * empty frontend application config.
 *
 * Mocha loads every spec file before it runs any suite, and Theia's jsdom is
 * one shared instance: a suite that turned it off in its `after` hook would
 * take the DOM away from the suites that run after it. So the DOM stays on
 * for the whole run and a root-level hook turns it off once all suites are
 * done; `disableJSDOM()` is kept for suites that call it and does nothing.
 */
import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';

const disableDom = enableJSDOM();

const globals = globalThis as unknown as { DragEvent?: unknown; MouseEvent: typeof MouseEvent; after?: (hook: () => void) => void };
if (globals.DragEvent === undefined) {
    globals.DragEvent = class DragEvent extends globals.MouseEvent { };
}
// At import time mocha's `after` registers on the root suite: it runs after every suite of the run.
globals.after?.(() => disableDom());

// eslint-disable-next-line import/first
import { FrontendApplicationConfigProvider } from '@theia/core/lib/browser/frontend-application-config-provider';
FrontendApplicationConfigProvider.set({});

/** Does nothing: the DOM is shared by every suite of the run and turned off after the last one (see above). */
export function disableJSDOM(): void {
    // intentionally empty
}

import type { TheiaPage } from '../e2e/harness';

/**
 * The app puts only a read-only text view on `window.ensembleEditorSync`;
 * the benchmark needs the Monaco model itself (to listen to its changes) and
 * the page's CollaborationSession (for the ping that is the peer figure).
 *
 * Nothing in the app exposes them, and the benchmark must not change the
 * app, so it finds them the way a developer would in DevTools: a one-shot
 * breakpoint on `ensembleEditorSync.documents` (an arrow function of the
 * diagnostics contribution), one call of it, and in the paused frame `this`
 * is the contribution, whose injected `sessions`, `host` and `guest` services
 * lead to the session and the documents' models. It is parked on
 * `globalThis.__ensembleBenchContribution` for page.evaluate; the debugger is
 * disabled again before any measurement.
 */
export async function installBenchHook(page: TheiaPage): Promise<void> {
    const cdp = await page.context.newCDPSession(page.page);
    try {
        const documentsFn = await cdp.send('Runtime.evaluate', { expression: 'globalThis.ensembleEditorSync && globalThis.ensembleEditorSync.documents' });
        const fnId = documentsFn.result.objectId;
        if (!fnId) {
            throw new Error(`[${page.name}] window.ensembleEditorSync.documents is not there`);
        }
        await cdp.send('Debugger.enable');
        const { breakpointId } = await cdp.send('Debugger.setBreakpointOnFunctionCall', { objectId: fnId });
        let parked: unknown;
        const paused = new Promise<void>((resolve, reject) => {
            cdp.once('Debugger.paused', event => {
                const frame = event.callFrames[0];
                cdp.send('Debugger.evaluateOnCallFrame', {
                    callFrameId: frame.callFrameId,
                    expression: '(globalThis.__ensembleBenchContribution = this, !!(this && this.sessions && this.host && this.guest))',
                    returnByValue: true
                }).then(result => { parked = result.result.value; })
                    .catch(reject)
                    .finally(() => { cdp.send('Debugger.resume').then(() => resolve(), reject); });
            });
        });
        await cdp.send('Runtime.evaluate', { expression: 'globalThis.ensembleEditorSync.documents().length', returnByValue: true });
        await paused;
        await cdp.send('Debugger.removeBreakpoint', { breakpointId });
        await cdp.send('Debugger.disable');
        if (parked !== true) {
            throw new Error(`[${page.name}] \`this\` of ensembleEditorSync.documents is not the diagnostics contribution (${String(parked)})`);
        }
    } finally {
        await cdp.detach().catch(() => undefined);
    }
}

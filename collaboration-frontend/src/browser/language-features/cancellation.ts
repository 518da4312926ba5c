import type * as monaco from '@theia/monaco-editor-core';

/**
 * Monaco's CancellationToken for an AbortSignal: the host's providers see
 * the guest's cancellation (the session aborts the handler's signal when the
 * guest gives up) and the host's own time limit.
 */
export function tokenOf(signal: AbortSignal): monaco.CancellationToken {
    return {
        get isCancellationRequested(): boolean {
            return signal.aborted;
        },
        onCancellationRequested: (listener: (e: void) => unknown) => {
            const onAbort = (): unknown => listener();
            signal.addEventListener('abort', onAbort, { once: true });
            return { dispose: () => signal.removeEventListener('abort', onAbort) };
        }
    };
}

/** An AbortSignal that aborts with Monaco's token (guest side: the editor cancels a request it no longer needs). */
export function signalOf(token: monaco.CancellationToken): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    if (token.isCancellationRequested) {
        controller.abort();
        return { signal: controller.signal, dispose: () => undefined };
    }
    const listener = token.onCancellationRequested(() => controller.abort());
    return { signal: controller.signal, dispose: () => listener.dispose() };
}

/** `signal`, or a timeout after `ms`, whichever comes first: a slow provider never holds a request for ever. */
export function withTimeout(signal: AbortSignal, ms: number): AbortSignal {
    return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}

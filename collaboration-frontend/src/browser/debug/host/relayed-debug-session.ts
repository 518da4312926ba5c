import type { Disposable } from '@theia/core/lib/common/disposable';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointVerdict } from '../debug-messages';

/**
 * A debug session of the host as the relay needs it: Theia's DebugSession
 * in the app (see theia-relayed-debug-session.ts), a DAP client of the real
 * adapter process in tests.
 */
export interface RelayedDebugSession {
    readonly id: string;
    readonly name: string;
    readonly type: string;
    readonly capabilities: DebugProtocol.Capabilities;
    /** Sends a DAP request; resolves with the response's body, rejects with an Error carrying the adapter's message. */
    request(command: string, args: unknown): Promise<unknown>;
    /** The session's DAP events (at least those in RELAYED_DEBUG_EVENTS). */
    onEvent(listener: (event: DebugProtocol.Event) => void): Disposable;
    /** What the session's adapter made of its source breakpoints. */
    readonly breakpointVerdicts: BreakpointVerdictSource;
}

/** A debug session's verdicts on its source breakpoints (see BreakpointVerdict). */
export interface BreakpointVerdictSource {
    /** Per host file path, the verdicts on the breakpoints the adapter answered for. */
    current(): ReadonlyMap<string, readonly BreakpointVerdict[]>;
    /** Fires when some verdict may have changed (the relay compares). */
    onDidChange(listener: () => void): Disposable;
}

/** The DAP events guests get; the rest concern the host's own UI (or carry host-only data). */
export const RELAYED_DEBUG_EVENTS = ['stopped', 'continued', 'thread', 'output', 'terminated', 'exited', 'invalidated', 'loadedSource', 'module'] as const;

/** The message of a failed DAP response (or of anything else a request rejected with). */
export function dapErrorMessage(error: unknown): string {
    if (error instanceof Error) {
        return error.message;
    }
    if (typeof error === 'object' && error !== null) {
        const response = error as Partial<DebugProtocol.ErrorResponse>;
        const format = response.body?.error?.format;
        if (typeof format === 'string' && format) {
            return format;
        }
        if (typeof response.message === 'string' && response.message) {
            return response.message;
        }
    }
    return String(error);
}

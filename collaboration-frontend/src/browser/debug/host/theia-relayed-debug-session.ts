import { DisposableCollection } from '@theia/core/lib/common/disposable';
import type { BreakpointManager } from '@theia/debug/lib/browser/breakpoint/breakpoint-manager';
import type { DebugSession } from '@theia/debug/lib/browser/debug-session';
import type { DebugRequestTypes } from '@theia/debug/lib/browser/debug-session-connection';
import { verdictOf } from '../breakpoints/breakpoint-verdicts';
import type { BreakpointVerdict } from '../debug-messages';
import { RELAYED_DEBUG_EVENTS, type BreakpointVerdictSource, type RelayedDebugSession } from './relayed-debug-session';

/**
 * One of the host's Theia debug sessions, for the relay. Requests go through
 * the session itself (not around it), so that the host's Debug view follows
 * what a guest does: a guest's step shows on the host as the host's own.
 */
export function relayTheiaDebugSession(session: DebugSession, breakpoints: BreakpointManager): RelayedDebugSession {
    return {
        id: session.id,
        get name(): string { return session.label; },
        type: session.configuration.type,
        get capabilities() { return session.capabilities; },
        async request(command, args) {
            const response = await session.sendRequest(command as keyof DebugRequestTypes, args as never);
            return response?.body;
        },
        onEvent: listener => new DisposableCollection(...RELAYED_DEBUG_EVENTS.map(name => session.on(name, listener))),
        breakpointVerdicts: theiaBreakpointVerdicts(session.id, breakpoints)
    };
}

/** The session's data on each source breakpoint, as Theia's breakpoint manager keeps it from the adapter's answers and events. */
function theiaBreakpointVerdicts(sessionId: string, breakpoints: BreakpointManager): BreakpointVerdictSource {
    return {
        current() {
            const files = new Map<string, BreakpointVerdict[]>();
            for (const breakpoint of breakpoints.getBreakpoints()) {
                const answer = breakpoint.getDebugProtocolBreakpoint(sessionId);
                if (answer && breakpoint.uri.scheme === 'file') {
                    const path = breakpoint.uri.path.fsPath();
                    const verdicts = files.get(path) ?? [];
                    verdicts.push(verdictOf(breakpoint.origin.raw, answer));
                    files.set(path, verdicts);
                }
            }
            return files;
        },
        onDidChange: listener => breakpoints.onDidChangeBreakpoints(() => listener())
    };
}

import type { PeerRole } from '@ensemble/collaboration-common';

/**
 * Which DAP requests a guest may send to the host's debug session, by role
 * (as in Live Share): every guest may look (threads, stack, variables,
 * sources...); continuing, stepping, pausing, evaluating and changing
 * values need write permission. Breakpoints travel as shared breakpoints
 * (debug/breakpoints-changed, debug/function-breakpoints-changed,
 * debug/exception-filters-changed), never as DAP requests, and the session's life
 * (launch, disconnect, terminate, restart) stays with the host: a guest's
 * Stop detaches its own view only.
 */

/** Read-only inspection: any guest. */
export const INSPECT_COMMANDS: ReadonlySet<string> = new Set([
    'threads', 'stackTrace', 'scopes', 'variables', 'source', 'loadedSources', 'modules', 'exceptionInfo',
    'completions', 'breakpointLocations', 'dataBreakpointInfo', 'stepInTargets', 'gotoTargets', 'readMemory', 'disassemble'
]);

/** Execution control and anything that may change the program's state: guests with write permission. */
export const CONTROL_COMMANDS: ReadonlySet<string> = new Set([
    'continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'goto', 'restartFrame',
    'evaluate', 'setVariable', 'setExpression', 'writeMemory', 'cancel'
]);

export type DebugPermission = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

const ALLOWED: DebugPermission = { allowed: true };

/** May a peer with `role` have the host's session run `command`? The refusal says why and what to do. */
export function checkDebugCommand(role: PeerRole | undefined, command: string): DebugPermission {
    if (role === undefined) {
        return { allowed: false, message: 'The host does not know you as a participant (any more); rejoin the session.' };
    }
    if (INSPECT_COMMANDS.has(command)) {
        return ALLOWED;
    }
    if (CONTROL_COMMANDS.has(command)) {
        return role === 'read-only'
            ? { allowed: false, message: `You are read-only in this session: '${command}' in the host's debug session needs write permission. Ask the host to let you edit.` }
            : ALLOWED;
    }
    return { allowed: false, message: `'${command}' is not available to guests in the host's debug session: only the host starts, restarts and stops it.` };
}

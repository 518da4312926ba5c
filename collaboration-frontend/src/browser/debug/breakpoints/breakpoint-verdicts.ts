import type { DebugProtocol } from '@vscode/debugprotocol';
import { MAX_POSITION, type BreakpointVerdict } from '../debug-messages';

/** A source breakpoint's position as set (1-based, as in DAP). */
export interface BreakpointPosition {
    readonly line: number;
    readonly column?: number;
}

/** Characters of an adapter's message about a breakpoint that guests get. */
const MAX_MESSAGE_CHARS = 1024;

/** The host's side: what an adapter answered for the breakpoint set at `position`, as guests get it. */
export function verdictOf(position: BreakpointPosition, answer: DebugProtocol.Breakpoint): BreakpointVerdict {
    const verdict: BreakpointVerdict = { line: position.line, verified: answer.verified === true };
    if (position.column !== undefined) {
        verdict.column = position.column;
    }
    if (isPosition(answer.line)) {
        verdict.boundLine = answer.line;
    }
    if (isPosition(answer.column)) {
        verdict.boundColumn = answer.column;
    }
    if (typeof answer.message === 'string' && answer.message) {
        verdict.message = answer.message.slice(0, MAX_MESSAGE_CHARS);
    }
    return verdict;
}

/**
 * A guest's mirror of one host debug session answers `setBreakpoints` itself
 * (the host's own session sets the shared breakpoints in its adapter): this
 * makes those answers say what the host's adapter said of each breakpoint,
 * and tells the mirror which of its breakpoints to update (DAP `breakpoint`
 * events) when the host's verdicts change. Without it a guest showed every
 * breakpoint as verified, one on a blank line where the host's adapter had
 * moved it, one the adapter refused as if it would stop.
 *
 * A breakpoint whose verdict is not known yet (the host's adapter has not
 * answered) shows as verified, as Theia shows one no session has weighed in
 * on; the verdict follows as an update.
 */
export class MirrorBreakpointVerdicts {
    private nextId = 1;
    /** Per file path, the host's verdicts by position. */
    private readonly verdicts = new Map<string, Map<string, BreakpointVerdict>>();
    /** Per file path, the breakpoints of the mirror's last answer: id → position and what it was told. */
    private readonly answered = new Map<string, Map<number, { readonly position: BreakpointPosition; reported: string }>>();

    /** The answer to the mirror's `setBreakpoints` for the file at `path`: one DAP breakpoint per requested one, in order. */
    answer(path: string | undefined, requested: readonly BreakpointPosition[]): DebugProtocol.Breakpoint[] {
        const known = path === undefined ? undefined : this.verdicts.get(path);
        const answered = new Map<number, { position: BreakpointPosition; reported: string }>();
        const breakpoints = requested.map(({ line, column }) => {
            const position = { line, column };
            const breakpoint = toDapBreakpoint(this.nextId++, position, known?.get(positionKey(position)));
            answered.set(breakpoint.id as number, { position, reported: JSON.stringify(breakpoint) });
            return breakpoint;
        });
        if (path !== undefined && answered.size > 0) {
            this.answered.set(path, answered);
        } else if (path !== undefined) {
            this.answered.delete(path);
        }
        return breakpoints;
    }

    /**
     * The host's verdicts on the file at `path` (all of them: a breakpoint
     * left out has none any more). Answers the mirror's breakpoints whose
     * status this changes, as DAP breakpoints for `breakpoint` events.
     */
    update(path: string, verdicts: readonly BreakpointVerdict[]): DebugProtocol.Breakpoint[] {
        const byPosition = new Map(verdicts.map(verdict => [positionKey(verdict), verdict]));
        if (byPosition.size > 0) {
            this.verdicts.set(path, byPosition);
        } else {
            this.verdicts.delete(path);
        }
        const changed: DebugProtocol.Breakpoint[] = [];
        for (const [id, entry] of this.answered.get(path) ?? []) {
            const breakpoint = toDapBreakpoint(id, entry.position, byPosition.get(positionKey(entry.position)));
            const reported = JSON.stringify(breakpoint);
            if (reported !== entry.reported) {
                entry.reported = reported;
                changed.push(breakpoint);
            }
        }
        return changed;
    }
}

function toDapBreakpoint(id: number, position: BreakpointPosition, verdict: BreakpointVerdict | undefined): DebugProtocol.Breakpoint {
    if (verdict === undefined) {
        return { id, verified: true, line: position.line, column: position.column };
    }
    const breakpoint: DebugProtocol.Breakpoint = { id, verified: verdict.verified, line: verdict.boundLine ?? position.line, column: verdict.boundColumn ?? position.column };
    if (verdict.message !== undefined) {
        breakpoint.message = verdict.message;
    }
    return breakpoint;
}

function positionKey(position: BreakpointPosition): string {
    return `${position.line}:${position.column ?? 0}`;
}

function isPosition(value: unknown): value is number {
    // What the message schema accepts: a verdict outside it would make guests refuse the whole file's broadcast.
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_POSITION;
}

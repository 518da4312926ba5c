import type URI from '@theia/core/lib/common/uri';
import { SourceBreakpoint } from '@theia/debug/lib/browser/breakpoint/breakpoint-marker';
import { MAX_BREAKPOINTS_PER_FILE, type SharedBreakpoint } from '../debug-messages';

/** What a breakpoint manager's entry has that peers share. */
export interface LocalBreakpoint {
    readonly id: string;
    readonly enabled: boolean;
    readonly raw: { readonly line: number; readonly column?: number; readonly condition?: string; readonly hitCondition?: string; readonly logMessage?: string };
}

/** A file's breakpoints in their shared form: sorted by position, only set fields, so that equal lists compare equal as JSON. */
export function toSharedBreakpoints(breakpoints: readonly LocalBreakpoint[]): SharedBreakpoint[] {
    return breakpoints
        .map(({ enabled, raw }) => {
            const shared: { -readonly [K in keyof SharedBreakpoint]: SharedBreakpoint[K] } = { line: raw.line, enabled };
            if (raw.column !== undefined) { shared.column = raw.column; }
            if (raw.condition) { shared.condition = raw.condition; }
            if (raw.hitCondition) { shared.hitCondition = raw.hitCondition; }
            if (raw.logMessage) { shared.logMessage = raw.logMessage; }
            return shared;
        })
        .sort(byPosition)
        .slice(0, MAX_BREAKPOINTS_PER_FILE);
}

/** The order of a file's breakpoints in their shared form. */
export function byPosition(a: SharedBreakpoint, b: SharedBreakpoint): number {
    return (a.line - b.line) || ((a.column ?? 0) - (b.column ?? 0));
}

/** What identifies a breakpoint of a file: its position. */
export function positionOf(breakpoint: SharedBreakpoint): string {
    return `${breakpoint.line}:${breakpoint.column ?? 0}`;
}

/** Whether two lists in their shared form (sorted, only set fields) are the same: what decides whether there is anything to tell. */
export function sameLists(a: readonly object[], b: readonly object[]): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Breakpoints for the manager from a shared list; a breakpoint at the same
 * position keeps its id, so that its session data (verified, bound line)
 * survives an update.
 */
export function fromSharedBreakpoints(uri: URI, shared: readonly SharedBreakpoint[], existing: readonly LocalBreakpoint[]): SourceBreakpoint[] {
    return shared.map(({ line, column, enabled, condition, hitCondition, logMessage }) => {
        const same = existing.find(candidate => candidate.raw.line === line && candidate.raw.column === column);
        const raw = { line, column, condition, hitCondition, logMessage };
        return { ...SourceBreakpoint.create(uri, raw), ...(same ? { id: same.id } : {}), enabled };
    });
}

/**
 * `current` with the changes that turned `base` into `mine` (entries added,
 * changed or removed, by key): a peer's changes made on top of an older
 * list, without undoing what changed in `current` since. Sorted by `compare`.
 */
export function mergeChanges<T extends object>(
    current: readonly T[], base: readonly T[], mine: readonly T[], keyOf: (entry: T) => string, compare: (a: T, b: T) => number
): T[] {
    const result = new Map(current.map(entry => [keyOf(entry), entry]));
    const before = new Map(base.map(entry => [keyOf(entry), entry]));
    const after = new Set(mine.map(keyOf));
    for (const entry of mine) {
        const old = before.get(keyOf(entry));
        if (!old || !sameLists([old], [entry])) {
            result.set(keyOf(entry), entry);
        }
    }
    for (const key of before.keys()) {
        if (!after.has(key)) {
            result.delete(key);
        }
    }
    return [...result.values()].sort(compare);
}

import { FunctionBreakpoint } from '@theia/debug/lib/browser/breakpoint/breakpoint-marker';
import { MAX_EXCEPTION_FILTERS, MAX_FUNCTION_BREAKPOINTS, type SharedExceptionFilter, type SharedFunctionBreakpoint } from '../debug-messages';
import { mergeChanges, sameLists } from './shared-breakpoints';

/** What a breakpoint manager's function breakpoint has that peers share. */
export interface LocalFunctionBreakpoint {
    readonly id: string;
    readonly enabled: boolean;
    readonly raw: { readonly name: string; readonly condition?: string; readonly hitCondition?: string };
}

/** What a breakpoint manager's exception breakpoint (one filter of the adapter) has that peers share. */
export interface LocalExceptionBreakpoint {
    readonly enabled: boolean;
    /** Where Theia's debug session reads the condition from (and what its Breakpoints view shows). */
    readonly condition?: string;
    /** Theia's Edit Condition writes the condition here instead (Theia 1.74), so that it does not reach the adapter by itself. */
    readonly raw: { readonly filter: string; readonly condition?: string };
}

/** Function breakpoints in their shared form: sorted by name, only set fields, so that equal lists compare equal as JSON. */
export function toSharedFunctionBreakpoints(breakpoints: readonly LocalFunctionBreakpoint[]): SharedFunctionBreakpoint[] {
    return breakpoints
        .map(({ enabled, raw }) => {
            const shared: { -readonly [K in keyof SharedFunctionBreakpoint]: SharedFunctionBreakpoint[K] } = { name: raw.name, enabled };
            if (raw.condition) { shared.condition = raw.condition; }
            if (raw.hitCondition) { shared.hitCondition = raw.hitCondition; }
            return shared;
        })
        .sort(byName)
        .slice(0, MAX_FUNCTION_BREAKPOINTS);
}

/**
 * Function breakpoints for the manager from a shared list. An unchanged
 * breakpoint keeps its object (and id, so its session data survives); a
 * changed one gets a new id, since the manager keeps an id's old object.
 */
export function fromSharedFunctionBreakpoints(shared: readonly SharedFunctionBreakpoint[], existing: readonly FunctionBreakpoint[]): FunctionBreakpoint[] {
    return shared.map(entry => {
        const same = existing.find(candidate => sameLists(toSharedFunctionBreakpoints([candidate]), [entry]));
        if (same) {
            return same;
        }
        const { name, enabled, condition, hitCondition } = entry;
        return { ...FunctionBreakpoint.create({ name, condition, hitCondition }), enabled };
    });
}

/** Exception filter settings in their shared form: sorted by filter id, only set fields. */
export function toSharedExceptionFilters(breakpoints: readonly LocalExceptionBreakpoint[]): SharedExceptionFilter[] {
    return breakpoints
        .map(({ enabled, condition, raw }) => {
            const shared: { -readonly [K in keyof SharedExceptionFilter]: SharedExceptionFilter[K] } = { filter: raw.filter, enabled };
            // The latest edit: Edit Condition's, or ours (which sets both).
            const text = 'condition' in raw ? raw.condition : condition;
            if (text) { shared.condition = text; }
            return shared;
        })
        .sort(byFilter)
        .slice(0, MAX_EXCEPTION_FILTERS);
}

/**
 * `base` with the entries of `update` put in (by filter id), sorted: a peer
 * only knows the filters its own adapters offer, so a list from it changes
 * those and leaves the others as they were (mergeChanges from nothing: every
 * entry of `update` is news).
 */
export function mergeExceptionFilters(base: readonly SharedExceptionFilter[], update: readonly SharedExceptionFilter[]): SharedExceptionFilter[] {
    return mergeChanges(base, [], update, entry => entry.filter, byFilter).slice(0, MAX_EXCEPTION_FILTERS);
}

/** The orders of the shared forms. */
export function byName(a: SharedFunctionBreakpoint, b: SharedFunctionBreakpoint): number {
    return compareText(a.name, b.name);
}

export function byFilter(a: SharedExceptionFilter, b: SharedExceptionFilter): number {
    return compareText(a.filter, b.filter);
}

function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

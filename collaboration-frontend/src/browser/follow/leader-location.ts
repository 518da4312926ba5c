import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';

/** Status keys of the follow-mode location: the shared file in front, the caret's line and the first visible line (1-based). */
export const LocationStatusKeys = {
    activeShared: 'activeShared',
    activeLine: 'activeLine',
    activeTopLine: 'activeTopLine'
} as const;

export interface LeaderLocation {
    readonly target: SharedPath;
    /** The caret's line. */
    readonly line: number;
    /** The first line the leader's editor shows (its scroll position); undefined when not known (an older peer, no layout yet). */
    readonly topLine?: number;
}

/** The shared file and lines a peer's status names, or undefined when it names none (or is malformed: a status is peer input). */
export function parseLeaderLocation(status: Readonly<Record<string, unknown>> | undefined): LeaderLocation | undefined {
    const shared = status?.[LocationStatusKeys.activeShared];
    if (typeof shared !== 'object' || shared === null) {
        return undefined;
    }
    const { root, path } = shared as { root?: unknown; path?: unknown };
    if (typeof root !== 'string' || root.length === 0 || root.length > 255 || typeof path !== 'string' || path.length > 4096) {
        return undefined;
    }
    const line = lineNumber(status?.[LocationStatusKeys.activeLine]) ?? 1;
    const topLine = lineNumber(status?.[LocationStatusKeys.activeTopLine]);
    return topLine === undefined ? { target: { root, path }, line } : { target: { root, path }, line, topLine };
}

/** The status patch that publishes a location (or clears it). */
export function locationStatus(location: LeaderLocation | undefined): Record<string, unknown> {
    return {
        [LocationStatusKeys.activeShared]: location ? { root: location.target.root, path: location.target.path } : undefined,
        [LocationStatusKeys.activeLine]: location?.line,
        [LocationStatusKeys.activeTopLine]: location?.topLine
    };
}

function lineNumber(value: unknown): number | undefined {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

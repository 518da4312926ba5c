import type { SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';

/** Status keys of the follow-mode location: the shared file in front and the caret's line (1-based). */
export const LocationStatusKeys = {
    activeShared: 'activeShared',
    activeLine: 'activeLine'
} as const;

export interface LeaderLocation {
    readonly target: SharedPath;
    readonly line: number;
}

/** The shared file and line a peer's status names, or undefined when it names none (or is malformed: a status is peer input). */
export function parseLeaderLocation(status: Readonly<Record<string, unknown>> | undefined): LeaderLocation | undefined {
    const shared = status?.[LocationStatusKeys.activeShared];
    const line = status?.[LocationStatusKeys.activeLine];
    if (typeof shared !== 'object' || shared === null) {
        return undefined;
    }
    const { root, path } = shared as { root?: unknown; path?: unknown };
    if (typeof root !== 'string' || root.length === 0 || root.length > 255 || typeof path !== 'string' || path.length > 4096) {
        return undefined;
    }
    const safeLine = typeof line === 'number' && Number.isSafeInteger(line) && line >= 1 ? line : 1;
    return { target: { root, path }, line: safeLine };
}

/** The status patch that publishes a location (or clears it). */
export function locationStatus(location: LeaderLocation | undefined): Record<string, unknown> {
    return {
        [LocationStatusKeys.activeShared]: location ? { root: location.target.root, path: location.target.path } : undefined,
        [LocationStatusKeys.activeLine]: location?.line
    };
}

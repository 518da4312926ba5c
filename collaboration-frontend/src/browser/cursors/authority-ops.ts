import type { DocumentAuthority, TextOperation } from '@ensemble/collaboration-common';

/**
 * The authority's operations after `revision`, or undefined when its log
 * no longer reaches back that far (checked first, so that no snapshot is
 * built for it): how the host moves a selection sent at an older revision.
 */
export function authorityOpsSince(authority: DocumentAuthority, revision: number): TextOperation[] | undefined {
    if (revision < authority.oldestLoggedRevision || revision > authority.revision) {
        return undefined;
    }
    const catchUp = authority.catchUp('ensemble.cursors', revision);
    return catchUp.type === 'ops' ? catchUp.ops.map(applied => applied.op) : undefined;
}

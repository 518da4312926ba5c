import { checkSegment } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import type URI from '@theia/core/lib/common/uri';

/**
 * The names guests see for the host's workspace folders: each folder's own
 * name, made unique (`app`, `app (2)`) and usable as a path segment. Named
 * over all workspace folders, shared or not, so that stopping to share one
 * never renames another under the guests' feet.
 */
export function nameWorkspaceRoots(roots: readonly URI[]): Map<string, string> {
    const names = new Map<string, string>();
    const taken = new Set<string>();
    for (const root of roots) {
        let base = root.path.base.replace(/[\\/\u0000]/g, '_').slice(0, 200);
        if (base === '' || checkSegment(base) !== undefined) {
            base = 'folder';
        }
        let name = base;
        for (let index = 2; taken.has(name.toLowerCase()); index++) {
            name = `${base} (${index})`;
        }
        taken.add(name.toLowerCase());
        names.set(root.toString(), name);
    }
    return names;
}

import URI from '@theia/core/lib/common/uri';
import type { SourcePathMap } from '../dap-source-paths';
import { parseEnsembleUri, roomAuthority, toEnsembleUri } from '../../workspace/ensemble-uri';
import type { HostWorkspaceSharing } from '../../workspace/host/host-workspace-sharing';

/** Both directions of the host's source path mapping. */
export interface HostSourcePaths {
    /** Host file path → the `ensemble:` URI guests know, or undefined for a file that is not shared. */
    readonly toGuest: SourcePathMap;
    /** A guest's `ensemble:` URI of this room → the host's file path, or undefined. */
    readonly toHost: SourcePathMap;
}

/** The mapping through the shared folders (which decide what guests may see: excluded files map to nothing). */
export function hostSourcePaths(roomId: () => string | undefined, sharing: Pick<HostWorkspaceSharing, 'toSharedPath' | 'toFileUri'>): HostSourcePaths {
    return {
        toGuest: path => {
            const room = roomId();
            if (!room || !isAbsoluteFilePath(path)) {
                return undefined;
            }
            const target = sharing.toSharedPath(URI.fromFilePath(path));
            return target && toEnsembleUri(room, target).toString();
        },
        toHost: path => {
            const room = roomId();
            const parsed = room && /^ensemble:/.test(path) ? parseEnsembleUri(new URI(path)) : undefined;
            if (!room || !parsed || parsed.roomId !== roomAuthority(room)) {
                return undefined;
            }
            return sharing.toFileUri(parsed)?.path.fsPath();
        }
    };
}

function isAbsoluteFilePath(path: string): boolean {
    return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

import URI from '@theia/core/lib/common/uri';
import { checkRelativePath, type SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';

/**
 * Guests address the host's files as `ensemble://<roomId>/<root>/<path>`:
 * the room keeps URIs of two sessions apart, the root is the shared folder's
 * name, the rest the path inside it.
 */
export const ENSEMBLE_SCHEME = 'ensemble';

export function toEnsembleUri(roomId: string, target: SharedPath): URI {
    const path = target.path === '' ? `/${target.root}` : `/${target.root}/${target.path}`;
    return new URI('').withScheme(ENSEMBLE_SCHEME).withAuthority(roomId).withPath(path);
}

/** The room-level URI (no root): what the guest's workspace is named by. */
export function ensembleWorkspaceUri(roomId: string): URI {
    return new URI('').withScheme(ENSEMBLE_SCHEME).withAuthority(roomId).withPath('/');
}

export interface ParsedEnsembleUri extends SharedPath {
    readonly roomId: string;
}

/** The room, root and path of an `ensemble:` URI, or undefined if it is not one (or names no root). */
export function parseEnsembleUri(uri: URI): ParsedEnsembleUri | undefined {
    if (uri.scheme !== ENSEMBLE_SCHEME) {
        return undefined;
    }
    const full = uri.path.toString().replace(/^\/+/, '').replace(/\/+$/, '');
    if (full === '') {
        return undefined;
    }
    const slash = full.indexOf('/');
    const root = slash < 0 ? full : full.slice(0, slash);
    const path = slash < 0 ? '' : full.slice(slash + 1);
    if (checkRelativePath(path) !== undefined) {
        return undefined;
    }
    return { roomId: uri.authority, root, path };
}

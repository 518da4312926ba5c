import URI from '@theia/core/lib/common/uri';
import { checkRelativePath, type SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';

/**
 * Guests address the host's files as `ensemble://<room>/<root>/<path>`:
 * the room keeps URIs of two sessions apart, the root is the shared folder's
 * name, the rest the path inside it.
 */
export const ENSEMBLE_SCHEME = 'ensemble';

/**
 * The room id as a URI authority. Authorities are case-insensitive and some
 * of Theia's and Monaco's code paths lower-case them, while room ids are
 * base64url (mixed case): the authority is the lower-cased id. It only has to
 * tell this session's URIs from a previous session's.
 */
export function roomAuthority(roomId: string): string {
    return roomId.toLowerCase();
}

export function toEnsembleUri(roomId: string, target: SharedPath): URI {
    const path = target.path === '' ? `/${target.root}` : `/${target.root}/${target.path}`;
    return new URI('').withScheme(ENSEMBLE_SCHEME).withAuthority(roomAuthority(roomId)).withPath(path);
}

/**
 * The URI that names a guest's workspace. Theia's explorer titles a
 * multi-root workspace by its URI's last segment, hence `label` (e.g.
 * "Hana's session"). Nothing is ever read from it.
 */
export function ensembleWorkspaceUri(roomId: string, label: string): URI {
    const name = label.replace(/[\\/\u0000]/g, '_').trim() || 'session';
    return new URI('').withScheme(ENSEMBLE_SCHEME).withAuthority(roomAuthority(roomId)).withPath(`/${name}`);
}

export interface ParsedEnsembleUri extends SharedPath {
    /** The room's authority (see roomAuthority), lower case. */
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
    return { roomId: uri.authority.toLowerCase(), root, path };
}

import type { SharedPath } from './workspace-path';
import { describeSharedPath } from './workspace-path';

/**
 * Why a workspace request failed, stable across the RPC between the host's
 * frontend and backend and across the session to guests. Programs branch on
 * the code; people read the message next to it.
 */
export const WORKSPACE_ERROR_CODES = [
    /** The file or folder does not exist (or is a dangling link). */
    'not-found',
    'already-exists',
    'not-a-directory',
    'is-a-directory',
    /** A folder to delete without `recursive` still has entries. */
    'not-empty',
    /** The requester may not do this: a read-only guest writing, the shared folder itself being deleted, a host file the host cannot access. */
    'permission-denied',
    /** The path matches the host's excluded globs (e.g. `**\/.env`): it is never served. */
    'excluded',
    /** The path (or the target of a symbolic link on it) lies outside the shared folders. */
    'outside-workspace',
    /** The path breaks the rules of relative paths (`..`, absolute, NUL, ...). */
    'invalid-path',
    /** Something else in the request is malformed (a negative offset, data that is not base64, ...). */
    'invalid-request',
    /** The file, the chunk or the upload is larger than the host allows. */
    'too-large',
    /** No shared folder has this name (it was never shared, or the host stopped sharing it). */
    'not-shared',
    /** The file changed while being read, an upload arrived out of order, or it was not complete. */
    'conflict',
    /** The host cannot do it now (too many uploads, I/O error, ...); trying again later may work. */
    'unavailable'
] as const;
export type WorkspaceErrorCode = typeof WORKSPACE_ERROR_CODES[number];

export function isWorkspaceErrorCode(value: unknown): value is WorkspaceErrorCode {
    return typeof value === 'string' && (WORKSPACE_ERROR_CODES as readonly string[]).includes(value);
}

/** A failure as plain data: what crosses process and network boundaries. */
export interface WorkspaceErrorData {
    readonly code: WorkspaceErrorCode;
    readonly message: string;
}

/** Thrown inside the host's backend; turned into `WorkspaceErrorData` at its API boundary. */
export class WorkspaceError extends Error implements WorkspaceErrorData {
    constructor(readonly code: WorkspaceErrorCode, message: string) {
        super(message);
        this.name = 'WorkspaceError';
    }

    toData(): WorkspaceErrorData {
        return { code: this.code, message: this.message };
    }

    static fromData(data: WorkspaceErrorData): WorkspaceError {
        return new WorkspaceError(data.code, data.message);
    }
}

/**
 * Every workspace operation answers with a result instead of throwing: Theia's
 * RPC and the session would otherwise keep the message and lose the code.
 */
export type WorkspaceResult<T> =
    | { readonly ok: true; readonly value: T }
    | { readonly ok: false; readonly error: WorkspaceErrorData };

export function success<T>(value: T): WorkspaceResult<T> {
    return { ok: true, value };
}

export function failure<T = never>(error: WorkspaceErrorData): WorkspaceResult<T> {
    return { ok: false, error: { code: error.code, message: error.message } };
}

/** The value, or the failure thrown as a WorkspaceError. */
export function unwrapResult<T>(result: WorkspaceResult<T>): T {
    if (result.ok) {
        return result.value;
    }
    throw WorkspaceError.fromData(result.error);
}

/** Messages shared by the backend and the frontends, so a guest reads the same sentence whoever refuses. */
export const WorkspaceErrors = {
    readOnly: (target: string): WorkspaceError => new WorkspaceError('permission-denied',
        `You joined as a read-only guest, so "${target}" cannot be changed; ask the host for read-write access.`),
    excluded: (target: SharedPath): WorkspaceError => new WorkspaceError('excluded',
        `"${describeSharedPath(target)}" is excluded from sharing by the host (collaboration.excludedFiles) and is never served to guests.`),
    outside: (target: SharedPath): WorkspaceError => new WorkspaceError('outside-workspace',
        `"${describeSharedPath(target)}" leads outside the shared folder "${target.root}" (through a symbolic link) and is not served.`),
    notFound: (target: SharedPath): WorkspaceError => new WorkspaceError('not-found',
        `"${describeSharedPath(target)}" does not exist on the host.`),
    notShared: (root: string): WorkspaceError => new WorkspaceError('not-shared',
        `The host does not share a folder named "${root}" (any more).`),
    invalidPath: (path: string, problem: string): WorkspaceError => new WorkspaceError('invalid-path',
        `Invalid path "${path.length > 200 ? path.slice(0, 200) + '…' : path}": ${problem}.`)
};

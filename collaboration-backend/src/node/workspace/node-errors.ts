import { WorkspaceError, type SharedPath, describeSharedPath } from '../../common/workspace-sharing-protocol';

/** The `code` of a Node.js file-system error (ENOENT, EACCES, ...), if it is one. */
export function errnoCode(error: unknown): string | undefined {
    const code = (error as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a file-system error met while serving `target` into a WorkspaceError
 * with a sentence a guest can act on. WorkspaceErrors pass through unchanged.
 */
export function toWorkspaceError(error: unknown, target: SharedPath): WorkspaceError {
    if (error instanceof WorkspaceError) {
        return error;
    }
    const where = `"${describeSharedPath(target)}"`;
    switch (errnoCode(error)) {
        case 'ENOENT':
            return new WorkspaceError('not-found', `${where} does not exist on the host.`);
        case 'EEXIST':
            return new WorkspaceError('already-exists', `${where} already exists on the host.`);
        case 'ENOTDIR':
            return new WorkspaceError('not-a-directory', `${where} is not a folder (a file is in its path).`);
        case 'EISDIR':
            return new WorkspaceError('is-a-directory', `${where} is a folder, not a file.`);
        case 'ENOTEMPTY':
            return new WorkspaceError('not-empty', `${where} is a folder that is not empty.`);
        case 'EACCES':
        case 'EPERM':
        case 'EROFS':
            return new WorkspaceError('permission-denied', `The host's system does not allow access to ${where}.`);
        case 'ELOOP':
            return new WorkspaceError('outside-workspace', `${where} goes through a loop of symbolic links and is not served.`);
        case 'ENAMETOOLONG':
            return new WorkspaceError('invalid-path', `${where} is too long a path for the host's file system.`);
        case 'EXDEV':
            return new WorkspaceError('unavailable', `${where} cannot be moved to another disk of the host; copy it instead.`);
        case 'ENOSPC':
        case 'EDQUOT':
            return new WorkspaceError('unavailable', `The host's disk is full; ${where} was not written.`);
        case 'EMFILE':
        case 'ENFILE':
        case 'EBUSY':
            return new WorkspaceError('unavailable', `The host is busy; try ${where} again in a moment.`);
        default:
            return new WorkspaceError('unavailable',
                `The host could not access ${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
}

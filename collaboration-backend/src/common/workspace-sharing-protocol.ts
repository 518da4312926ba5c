import type { RpcServer } from '@theia/core/lib/common/messaging/proxy-factory';
import type { WorkspaceResult } from './workspace-errors';
import type { SharedPath } from './workspace-path';

export * from './workspace-errors';
export * from './workspace-path';

/**
 * The RPC contract between the host's frontend and its backend for the
 * workspace shared with guests. The frontend relays guests' requests; the
 * backend, where real paths can be resolved, enforces the rules: every path
 * confined to the shared roots (no `..`, no absolute paths, no symbolic link
 * escaping a root), excluded globs never served, and no change from a
 * read-only guest. The frontend tells the backend who asks (`Requester`),
 * taking the role from the session's peer list — never from the guest's
 * message.
 */
export const HOST_WORKSPACE_PATH = '/services/ensemble/host-workspace';

export const HostWorkspaceService = Symbol('HostWorkspaceService');

/** `**\/.env` and `**\/.git/**`: never served unless the host changes `collaboration.excludedFiles`. */
export const DEFAULT_EXCLUDED_GLOBS: readonly string[] = ['**/.env', '**/.git/**'];

/** Largest chunk one `readChunk` or `uploadChunk` carries (bytes). */
export const MAX_CHUNK_BYTES = 1024 * 1024;

export type RequesterRole = 'host' | 'read-write' | 'read-only';

/** Who asks: the guest's peer id and its current role, as the host's session knows them. */
export interface Requester {
    readonly peerId: string;
    readonly role: RequesterRole;
}

/** A folder to share: the name guests see (unique, a valid file name) and its `file:` URI on the host. */
export interface SharedRootConfig {
    readonly name: string;
    readonly uri: string;
}

export interface SharingOptions {
    /** Globs (minimatch, relative to each root, matched case-insensitively) never served to guests. */
    readonly excludedGlobs: readonly string[];
}

export type EntryType = 'file' | 'directory' | 'other';

export interface EntryStat {
    readonly type: EntryType;
    /** The entry is a symbolic link (to something inside the shared roots; others are not served). */
    readonly symlink: boolean;
    readonly size: number;
    /** Milliseconds since the epoch. */
    readonly mtime: number;
    readonly ctime: number;
}

export interface DirectoryEntry {
    readonly name: string;
    readonly type: EntryType;
    readonly symlink: boolean;
}

export interface FileChunk {
    readonly data: Uint8Array;
    /** The whole file's size and modification time when the chunk was read: a reader notices a file that changes under it. */
    readonly size: number;
    readonly mtime: number;
}

export interface WriteOptions {
    /** Create the file if it does not exist. */
    readonly create: boolean;
    /** Replace the file if it exists. */
    readonly overwrite: boolean;
}

export interface UploadOptions extends WriteOptions {
    /** Total bytes that will be uploaded; the commit fails unless exactly these arrived. */
    readonly size: number;
}

export interface FindFilesOptions {
    /** At most this many results. */
    readonly limit: number;
    /** More globs to skip (e.g. the guest's `search.exclude`), on top of the host's exclusions. */
    readonly excludedGlobs?: readonly string[];
}

export type FileChangeType = 'added' | 'updated' | 'deleted';

export interface WorkspaceFileChange extends SharedPath {
    readonly type: FileChangeType;
}

/** The frontend's side of the RPC: the backend reports changes under the shared roots. */
export interface HostWorkspaceClient {
    onDidChangeFiles(changes: readonly WorkspaceFileChange[]): void;
}

/** One instance per frontend connection; its shares, watchers and uploads end with the connection. */
export interface HostWorkspaceService extends RpcServer<HostWorkspaceClient> {
    /**
     * Replaces the set of shared roots (an empty list stops sharing) and the
     * exclusions. Fails as a whole when a name is invalid or duplicated or a
     * folder is not a directory; starts watching the roots for changes.
     */
    setSharedRoots(roots: readonly SharedRootConfig[], options: SharingOptions): Promise<WorkspaceResult<void>>;

    stat(requester: Requester, target: SharedPath): Promise<WorkspaceResult<EntryStat>>;
    readDirectory(requester: Requester, target: SharedPath): Promise<WorkspaceResult<DirectoryEntry[]>>;
    /** Up to `length` (at most MAX_CHUNK_BYTES) bytes from `offset`; fewer at the end of the file. */
    readChunk(requester: Requester, target: SharedPath, offset: number, length: number): Promise<WorkspaceResult<FileChunk>>;

    /** Writes a whole (small) file at once, atomically. */
    writeFile(requester: Requester, target: SharedPath, data: Uint8Array, options: WriteOptions): Promise<WorkspaceResult<EntryStat>>;
    /** Starts a chunked upload into a temporary file next to the target; returns its id. */
    beginUpload(requester: Requester, target: SharedPath, options: UploadOptions): Promise<WorkspaceResult<string>>;
    /** Appends a chunk; chunks arrive in order (`offset` = bytes received so far). Returns the bytes received. */
    uploadChunk(requester: Requester, uploadId: string, offset: number, data: Uint8Array): Promise<WorkspaceResult<number>>;
    /** Renames the complete temporary file over the target (atomic replace). */
    commitUpload(requester: Requester, uploadId: string): Promise<WorkspaceResult<EntryStat>>;
    abortUpload(requester: Requester, uploadId: string): Promise<WorkspaceResult<void>>;
    /** Aborts every upload a peer started (it left the session). */
    abortUploadsOf(peerId: string): Promise<void>;

    createFolder(requester: Requester, target: SharedPath): Promise<WorkspaceResult<void>>;
    delete(requester: Requester, target: SharedPath, options: { readonly recursive: boolean }): Promise<WorkspaceResult<void>>;
    rename(requester: Requester, from: SharedPath, to: SharedPath, options: { readonly overwrite: boolean }): Promise<WorkspaceResult<void>>;

    /** Files whose path fuzzy-matches `query`, for the guests' "Go to File". */
    findFiles(requester: Requester, query: string, options: FindFilesOptions): Promise<WorkspaceResult<SharedPath[]>>;
}

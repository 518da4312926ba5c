import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { describeSharedPath, MAX_CHUNK_BYTES, WorkspaceError, type SharedPath } from '../../common/workspace-sharing-protocol';
import { UPLOAD_TEMP_PREFIX } from './exclusion-matcher';

export interface UploadLimits {
    /** Largest file a guest may upload (bytes). */
    readonly maxFileBytes: number;
    /** Uploads one peer may have in progress at once. */
    readonly maxUploadsPerPeer: number;
    /** An upload without a chunk for this long is aborted (ms). */
    readonly idleTimeoutMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
    maxFileBytes: 4 * 1024 * 1024 * 1024,
    maxUploadsPerPeer: 8,
    idleTimeoutMs: 10 * 60 * 1000
};

/** An upload in progress: a temporary file in the target's folder, filled in order. */
export interface Upload {
    readonly id: string;
    readonly owner: string;
    readonly target: SharedPath;
    /** The real path the upload will replace or create (as resolved when it began). */
    readonly destination: string;
    readonly tempPath: string;
    readonly size: number;
    readonly create: boolean;
    readonly overwrite: boolean;
    received: number;
    lastActivity: number;
}

interface OpenUpload extends Upload {
    readonly handle: fs.FileHandle;
    /** The chain of chunk writes, so that `finish` flushes only after the last one. */
    writes: Promise<void>;
}

/**
 * Chunked uploads into temporary files next to their targets, so that the
 * final rename is atomic (same folder, same file system) and a reader never
 * sees a half-written file. Temporary names start with UPLOAD_TEMP_PREFIX
 * and are hidden from guests. Idle uploads are aborted and their files
 * removed; so is everything when the registry is disposed.
 */
export class UploadRegistry {
    private readonly uploads = new Map<string, OpenUpload>();
    private readonly sweeper: ReturnType<typeof setInterval>;

    constructor(private readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS) {
        this.sweeper = setInterval(() => { void this.abortIdle(); }, Math.max(1000, Math.min(60_000, limits.idleTimeoutMs / 2)));
        this.sweeper.unref();
    }

    async begin(owner: string, target: SharedPath, destination: string, options: { size: number; create: boolean; overwrite: boolean; mode?: number }): Promise<Upload> {
        if (!Number.isSafeInteger(options.size) || options.size < 0) {
            throw new WorkspaceError('invalid-request', `Invalid upload size ${options.size}.`);
        }
        if (options.size > this.limits.maxFileBytes) {
            throw new WorkspaceError('too-large',
                `"${describeSharedPath(target)}" would have ${options.size} bytes; the host accepts files of at most ${this.limits.maxFileBytes} bytes.`);
        }
        const mine = [...this.uploads.values()].filter(upload => upload.owner === owner).length;
        if (mine >= this.limits.maxUploadsPerPeer) {
            throw new WorkspaceError('unavailable', `You already have ${mine} uploads in progress; wait for them to finish.`);
        }
        const id = randomUUID();
        const tempPath = nodePath.join(nodePath.dirname(destination), `${UPLOAD_TEMP_PREFIX}${id}`);
        // 'wx': never open something that already exists (a link planted under this name included).
        const handle = await fs.open(tempPath, 'wx', options.mode ?? 0o666);
        const upload: OpenUpload = {
            id, owner, target, destination, tempPath, size: options.size, create: options.create, overwrite: options.overwrite,
            received: 0, lastActivity: Date.now(), handle, writes: Promise.resolve()
        };
        this.uploads.set(id, upload);
        return upload;
    }

    /** The caller's upload; someone else's id is reported as unknown, not as someone else's. */
    get(owner: string, id: string): OpenUpload {
        const upload = this.uploads.get(id);
        if (!upload || upload.owner !== owner) {
            throw new WorkspaceError('not-found', `No upload ${id} is in progress (it finished, was aborted, or was idle too long); start again.`);
        }
        return upload;
    }

    async write(owner: string, id: string, offset: number, data: Uint8Array): Promise<number> {
        const upload = this.get(owner, id);
        if (offset !== upload.received) {
            throw new WorkspaceError('conflict', `Upload ${id} expected its chunk at offset ${upload.received}, not ${offset}.`);
        }
        if (data.byteLength > MAX_CHUNK_BYTES) {
            throw new WorkspaceError('too-large', `A chunk is at most ${MAX_CHUNK_BYTES} bytes; this one has ${data.byteLength}.`);
        }
        if (upload.received + data.byteLength > upload.size) {
            throw new WorkspaceError('too-large', `Upload ${id} announced ${upload.size} bytes and would now exceed them.`);
        }
        // Counted before the write completes, so a concurrent duplicate chunk is refused rather than written twice.
        upload.received += data.byteLength;
        upload.lastActivity = Date.now();
        const received = upload.received;
        const write = upload.writes.then(async () => {
            let written = 0;
            while (written < data.byteLength) {
                const { bytesWritten } = await upload.handle.write(data, written, data.byteLength - written, offset + written);
                written += bytesWritten;
            }
        });
        upload.writes = write.catch(() => undefined);
        try {
            await write;
        } catch (error) {
            await this.abort(owner, id);
            throw error;
        }
        return received;
    }

    /** Flushes and closes the temporary file and forgets the upload; the caller renames it into place. */
    async finish(owner: string, id: string): Promise<Upload> {
        const upload = this.get(owner, id);
        if (upload.received !== upload.size) {
            throw new WorkspaceError('conflict', `Upload ${id} has ${upload.received} of ${upload.size} bytes; send the rest before committing.`);
        }
        this.uploads.delete(id);
        try {
            await upload.writes;
            await upload.handle.sync();
        } finally {
            await upload.handle.close();
        }
        return upload;
    }

    /** Removes a temporary file that `finish` handed over and that could not be committed. */
    async discard(upload: Upload): Promise<void> {
        await fs.rm(upload.tempPath, { force: true });
    }

    async abort(owner: string, id: string): Promise<void> {
        const upload = this.uploads.get(id);
        if (upload && upload.owner === owner) {
            await this.drop(upload);
        }
    }

    async abortAllOf(owner: string): Promise<void> {
        await Promise.all([...this.uploads.values()].filter(upload => upload.owner === owner).map(upload => this.drop(upload)));
    }

    get size(): number {
        return this.uploads.size;
    }

    async dispose(): Promise<void> {
        clearInterval(this.sweeper);
        await Promise.all([...this.uploads.values()].map(upload => this.drop(upload)));
    }

    private async abortIdle(): Promise<void> {
        const now = Date.now();
        await Promise.all([...this.uploads.values()]
            .filter(upload => now - upload.lastActivity > this.limits.idleTimeoutMs)
            .map(upload => this.drop(upload)));
    }

    private async drop(upload: OpenUpload): Promise<void> {
        if (!this.uploads.delete(upload.id)) {
            return;
        }
        await upload.writes;
        await upload.handle.close().catch(() => undefined);
        await fs.rm(upload.tempPath, { force: true }).catch(() => undefined);
    }
}

import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { EntryStat, EntryType, SharedPath, WorkspaceFileChange } from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { cancelled, type CancellationToken } from '@theia/core/lib/common/cancellation';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import type { MarkdownString } from '@theia/core/lib/common/markdown-rendering/markdown-string';
import { newWriteableStream, type ReadableStreamEvents } from '@theia/core/lib/common/stream';
import type URI from '@theia/core/lib/common/uri';
import {
    createFileSystemProviderError, FileChangeType, FilePermission, FileSystemProviderCapabilities, FileSystemProviderErrorCode, FileType,
    type FileChange, type FileDeleteOptions, type FileOverwriteOptions, type FileReadStreamOptions, type FileSystemProviderWithFileReadStreamCapability,
    type FileSystemProviderWithFileReadWriteCapability, type FileWriteOptions, type ReadOnlyMessageFileSystemProvider, type Stat, type WatchOptions
} from '@theia/filesystem/lib/common/files';
import { decodeBase64, encodeBase64 } from '../../../common/base64';
import {
    AbortUpload, BeginUpload, CommitUpload, CreateFolder, DeleteEntry, ReadChunk, ReadDirectory, RenameEntry, StatEntry, UploadChunk,
    WIRE_CHUNK_BYTES, WriteFile
} from '../../../common/workspace-messages';
import { parseEnsembleUri, roomAuthority, toEnsembleUri } from '../ensemble-uri';
import { DEFAULT_PACER_OPTIONS, TransferPacer, type PacerOptions } from '../transfer-pacer';
import { HostRequests } from './host-requests';

/** Progress of one file moving between this guest and the host. */
export interface TransferProgress {
    readonly uri: URI;
    readonly direction: 'download' | 'upload';
    /** Bytes moved so far; equals `total` in the last event of a transfer that succeeded. */
    readonly done: number;
    readonly total: number;
    /** Set on the last event of a transfer that failed or was cancelled. */
    readonly stopped?: boolean;
}

export interface HostFileSystemProviderOptions {
    /** Files at least this big report progress (bytes). Default 1 MiB. */
    readonly progressThreshold?: number;
    /** Paces uploads under the server's byte rate. */
    readonly pacer?: PacerOptions;
    /** Per-request timeout (ms); the session's default otherwise. */
    readonly requestTimeoutMs?: number;
}

const CAPABILITIES = FileSystemProviderCapabilities.FileReadWrite | FileSystemProviderCapabilities.FileReadStream | FileSystemProviderCapabilities.PathCaseSensitive;

export const READ_ONLY_MESSAGE: MarkdownString = {
    value: 'You joined this session **read-only**: the host\'s files cannot be changed. Ask the host for read-write access.'
};

/**
 * A guest's view of the host's shared folders, as a Theia file-system
 * provider for `ensemble://<roomId>/<root>/<path>`. Every call becomes a
 * request to the host, which enforces the rules; file contents travel in
 * chunks (never one message above the server's size limit) with progress
 * events for big files. Changes on the host arrive through `applyChanges`.
 */
export class HostFileSystemProvider implements FileSystemProviderWithFileReadWriteCapability, FileSystemProviderWithFileReadStreamCapability,
    ReadOnlyMessageFileSystemProvider, Disposable {

    private readOnly = false;
    private readonly requests: HostRequests;
    private readonly pacer: TransferPacer;
    private readonly progressThreshold: number;

    private readonly capabilitiesEmitter = new Emitter<void>();
    private readonly fileChangeEmitter = new Emitter<readonly FileChange[]>();
    private readonly watchErrorEmitter = new Emitter<void>();
    private readonly readOnlyMessageEmitter = new Emitter<MarkdownString | undefined>();
    private readonly progressEmitter = new Emitter<TransferProgress>();
    private readonly toDispose = new DisposableCollection(this.capabilitiesEmitter, this.fileChangeEmitter, this.watchErrorEmitter,
        this.readOnlyMessageEmitter, this.progressEmitter);

    readonly onDidChangeCapabilities: Event<void> = this.capabilitiesEmitter.event;
    readonly onDidChangeFile: Event<readonly FileChange[]> = this.fileChangeEmitter.event;
    readonly onFileWatchError: Event<void> = this.watchErrorEmitter.event;
    readonly onDidChangeReadOnlyMessage: Event<MarkdownString | undefined> = this.readOnlyMessageEmitter.event;
    readonly onTransferProgress: Event<TransferProgress> = this.progressEmitter.event;

    constructor(session: CollaborationSession, readonly roomId: string, options: HostFileSystemProviderOptions = {}) {
        this.requests = new HostRequests(session, options.requestTimeoutMs);
        this.pacer = new TransferPacer(options.pacer ?? DEFAULT_PACER_OPTIONS);
        this.progressThreshold = options.progressThreshold ?? 1024 * 1024;
    }

    get capabilities(): FileSystemProviderCapabilities {
        return this.readOnly ? CAPABILITIES | FileSystemProviderCapabilities.Readonly : CAPABILITIES;
    }

    get readOnlyMessage(): MarkdownString | undefined {
        return this.readOnly ? READ_ONLY_MESSAGE : undefined;
    }

    get isReadOnly(): boolean {
        return this.readOnly;
    }

    /** Follows this guest's role: editors turn read-only (with the reason) or writable again. */
    setReadOnly(readOnly: boolean): void {
        if (readOnly !== this.readOnly) {
            this.readOnly = readOnly;
            this.capabilitiesEmitter.fire();
            this.readOnlyMessageEmitter.fire(this.readOnlyMessage);
        }
    }

    /** The host reported changes (its watcher); Theia refreshes the navigator and open editors from them. */
    applyChanges(changes: readonly WorkspaceFileChange[]): void {
        const types = { added: FileChangeType.ADDED, updated: FileChangeType.UPDATED, deleted: FileChangeType.DELETED } as const;
        this.fileChangeEmitter.fire(changes.map(change => ({ type: types[change.type], resource: toEnsembleUri(this.roomId, change) })));
    }

    /** Everything under the shared roots is reported by the host anyway; nothing to subscribe. */
    watch(_resource: URI, _options: WatchOptions): Disposable {
        return Disposable.NULL;
    }

    // ---- reading ---------------------------------------------------------------------------------

    async stat(resource: URI): Promise<Stat> {
        const target = this.targetOf(resource);
        const stat = await this.requests.call(StatEntry, { target }, { retryOnTimeout: true });
        return this.toStat(stat);
    }

    async readdir(resource: URI): Promise<[string, FileType][]> {
        const target = this.targetOf(resource);
        const entries: [string, FileType][] = [];
        let start: number | undefined = 0;
        while (start !== undefined) {
            const page: { entries: Array<{ name: string; type: EntryType; symlink: boolean }>; next?: number } =
                await this.requests.call(ReadDirectory, start === 0 ? { target } : { target, start }, { retryOnTimeout: true });
            for (const entry of page.entries) {
                entries.push([entry.name, this.toFileType(entry.type, entry.symlink)]);
            }
            start = page.next;
        }
        return entries;
    }

    async readFile(resource: URI): Promise<Uint8Array> {
        let content = new Uint8Array(0);
        let filled = 0;
        await this.download(resource, 0, undefined, (bytes, total) => {
            if (content.byteLength !== total) {
                content = new Uint8Array(total);
            }
            content.set(bytes, filled);
            filled += bytes.byteLength;
        });
        return filled === content.byteLength ? content : content.subarray(0, filled);
    }

    readFileStream(resource: URI, options: FileReadStreamOptions, token: CancellationToken): ReadableStreamEvents<Uint8Array> {
        const stream = newWriteableStream<Uint8Array>(chunks => concat(chunks));
        this.download(resource, options.position ?? 0, options.length, async bytes => { await stream.write(bytes); }, token)
            .then(() => stream.end(), error => stream.end(error instanceof Error ? error : new Error(String(error))));
        return stream;
    }

    // ---- writing ---------------------------------------------------------------------------------

    async writeFile(resource: URI, content: Uint8Array, options: FileWriteOptions): Promise<void> {
        const target = this.writableTargetOf(resource);
        const flags = { create: options.create, overwrite: options.overwrite };
        if (content.byteLength <= WIRE_CHUNK_BYTES) {
            await this.pacer.take(content.byteLength);
            await this.requests.call(WriteFile, { target, data: encodeBase64(content), ...flags });
            return;
        }
        const { uploadId } = await this.requests.call(BeginUpload, { target, size: content.byteLength, ...flags });
        let sent = 0;
        try {
            for (let offset = 0; offset < content.byteLength; offset += WIRE_CHUNK_BYTES) {
                const chunk = content.subarray(offset, offset + WIRE_CHUNK_BYTES);
                await this.pacer.take(chunk.byteLength);
                await this.requests.call(UploadChunk, { uploadId, offset, data: encodeBase64(chunk) });
                sent = offset + chunk.byteLength;
                if (sent < content.byteLength) {
                    this.reportProgress(resource, 'upload', sent, content.byteLength);
                }
            }
            await this.requests.call(CommitUpload, { uploadId });
            this.reportProgress(resource, 'upload', content.byteLength, content.byteLength);
        } catch (error) {
            this.reportProgress(resource, 'upload', sent, content.byteLength, true);
            // The host also drops it when this guest leaves or after idling; this is just sooner.
            this.requests.callDone(AbortUpload, { uploadId }).catch(() => undefined);
            throw error;
        }
    }

    async mkdir(resource: URI): Promise<void> {
        await this.requests.callDone(CreateFolder, { target: this.writableTargetOf(resource) });
    }

    async delete(resource: URI, options: FileDeleteOptions): Promise<void> {
        await this.requests.callDone(DeleteEntry, { target: this.writableTargetOf(resource), recursive: options.recursive });
    }

    async rename(from: URI, to: URI, options: FileOverwriteOptions): Promise<void> {
        await this.requests.callDone(RenameEntry, { from: this.writableTargetOf(from), to: this.writableTargetOf(to), overwrite: options.overwrite });
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * Reads [position, position + length) (to the end without length) chunk
     * by chunk, handing each to `onData` with the file's total size. Fails if
     * the file changes on the host meanwhile instead of mixing two versions.
     */
    private async download(resource: URI, position: number, length: number | undefined,
        onData: (bytes: Uint8Array, total: number) => void | Promise<void>, token?: CancellationToken): Promise<void> {
        const target = this.targetOf(resource);
        let offset = position;
        let version: { size: number; mtime: number } | undefined;
        let end = length === undefined ? undefined : position + length;
        try {
            for (;;) {
                if (token?.isCancellationRequested) {
                    throw cancelled();
                }
                const want = Math.min(WIRE_CHUNK_BYTES, end === undefined ? WIRE_CHUNK_BYTES : Math.max(0, end - offset));
                const chunk = await this.requests.call(ReadChunk, { target, offset, length: want }, { retryOnTimeout: true });
                if (version === undefined) {
                    version = { size: chunk.size, mtime: chunk.mtime };
                    end = Math.min(end ?? chunk.size, chunk.size);
                } else if (chunk.size !== version.size || chunk.mtime !== version.mtime) {
                    throw createFileSystemProviderError(
                        `${resource.path.base} changed on the host while it was being read; open it again.`, FileSystemProviderErrorCode.Unavailable);
                }
                const bytes = this.decode(chunk.data, resource);
                const stop = end ?? chunk.size;
                await onData(bytes, stop - position);
                offset += bytes.byteLength;
                this.reportProgress(resource, 'download', offset - position, stop - position);
                if (bytes.byteLength < want || offset >= stop || want === 0) {
                    return;
                }
            }
        } catch (error) {
            if (end !== undefined) {
                this.reportProgress(resource, 'download', offset - position, end - position, true);
            }
            throw error;
        }
    }

    private decode(data: string, resource: URI): Uint8Array {
        try {
            return decodeBase64(data);
        } catch {
            throw createFileSystemProviderError(`The host sent invalid data for ${resource.path.base}.`, FileSystemProviderErrorCode.Unknown);
        }
    }

    private reportProgress(uri: URI, direction: TransferProgress['direction'], done: number, total: number, stopped = false): void {
        if (total >= this.progressThreshold) {
            this.progressEmitter.fire({ uri, direction, done: Math.min(done, total), total, ...(stopped ? { stopped } : {}) });
        }
    }

    private targetOf(resource: URI): SharedPath {
        const parsed = parseEnsembleUri(resource);
        if (!parsed || parsed.roomId !== roomAuthority(this.roomId)) {
            throw createFileSystemProviderError(`${resource.toString()} is not a file of this collaboration session.`, FileSystemProviderErrorCode.FileNotFound);
        }
        return { root: parsed.root, path: parsed.path };
    }

    private writableTargetOf(resource: URI): SharedPath {
        const target = this.targetOf(resource);
        if (this.readOnly) {
            // The host would refuse it too; saying so here saves a round trip and reads the same.
            throw createFileSystemProviderError(READ_ONLY_MESSAGE.value.replace(/\*\*/g, ''), FileSystemProviderErrorCode.NoPermissions);
        }
        return target;
    }

    private toStat(stat: EntryStat): Stat {
        return {
            type: this.toFileType(stat.type, stat.symlink),
            size: stat.size,
            mtime: stat.mtime,
            ctime: stat.ctime,
            ...(this.readOnly ? { permissions: FilePermission.Readonly } : {})
        };
    }

    private toFileType(type: EntryType, symlink: boolean): FileType {
        const base = type === 'file' ? FileType.File : type === 'directory' ? FileType.Directory : FileType.Unknown;
        return symlink ? base | FileType.SymbolicLink : base;
    }
}

function concat(chunks: Uint8Array[]): Uint8Array {
    const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const result = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
        result.set(chunk, at);
        at += chunk.byteLength;
    }
    return result;
}

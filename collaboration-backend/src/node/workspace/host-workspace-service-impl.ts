import { promises as fs, type Stats } from 'node:fs';
import * as nodePath from 'node:path';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import {
    checkSegment, childPath, DEFAULT_EXCLUDED_GLOBS, describeSharedPath, failure, MAX_CHUNK_BYTES, success, WorkspaceError, WorkspaceErrors,
    type DirectoryEntry, type EntryStat, type EntryType, type FileChunk, type FindFilesOptions, type HostWorkspaceClient, type HostWorkspaceService,
    type Requester, type SharedPath, type SharedRootConfig, type SharingOptions, type UploadOptions, type WorkspaceFileChange,
    type WorkspaceResult, type WriteOptions
} from '../../common/workspace-sharing-protocol';
import { readChunk } from './chunk-reader';
import { ExclusionMatcher } from './exclusion-matcher';
import { scorePath } from './fuzzy-path-match';
import { errnoCode, toWorkspaceError } from './node-errors';
import { SharedRoot } from './shared-root';
import { SharedRootWatcher } from './shared-root-watcher';
import { findInTree, walkTree } from './tree-walker';
import { DEFAULT_UPLOAD_LIMITS, UploadRegistry, type UploadLimits } from './upload-registry';

export const HostWorkspaceLimits = Symbol('HostWorkspaceLimits');
export interface HostWorkspaceLimits extends UploadLimits {
    /** Entries visited per root when searching files for "Go to File". */
    readonly maxSearchEntries: number;
}
export const DEFAULT_HOST_WORKSPACE_LIMITS: HostWorkspaceLimits = { ...DEFAULT_UPLOAD_LIMITS, maxSearchEntries: 200_000 };

const MAX_FIND_RESULTS = 1000;
const NO_TARGET: SharedPath = { root: '', path: '' };

/**
 * The host's workspace as served to guests, one instance per frontend
 * connection. Every public method answers with a WorkspaceResult; the
 * confinement rules live in SharedRoot, the write rules (read-only guests)
 * here, before anything touches the disk.
 */
@injectable()
export class HostWorkspaceServiceImpl implements HostWorkspaceService {
    private client: HostWorkspaceClient | undefined;
    private readonly roots = new Map<string, SharedRoot>();
    private readonly watchers = new Map<string, { realPath: string; watcher: Promise<SharedRootWatcher | undefined> }>();
    private readonly uploads: UploadRegistry;
    private readonly limits: HostWorkspaceLimits;

    constructor(@inject(HostWorkspaceLimits) @optional() limits?: Partial<HostWorkspaceLimits>) {
        this.limits = { ...DEFAULT_HOST_WORKSPACE_LIMITS, ...limits };
        this.uploads = new UploadRegistry(this.limits);
    }

    setClient(client: HostWorkspaceClient | undefined): void {
        this.client = client;
    }

    getClient(): HostWorkspaceClient | undefined {
        return this.client;
    }

    dispose(): void {
        void this.stopWatchers([...this.watchers.keys()]);
        this.roots.clear();
        void this.uploads.dispose();
    }

    // ---- sharing ----------------------------------------------------------------------------

    setSharedRoots(configs: readonly SharedRootConfig[], options: SharingOptions): Promise<WorkspaceResult<void>> {
        return this.run(NO_TARGET, async () => {
            const exclusions = new ExclusionMatcher(options.excludedGlobs ?? DEFAULT_EXCLUDED_GLOBS);
            const names = new Set<string>();
            const opened: SharedRoot[] = [];
            for (const config of configs) {
                const problem = checkSegment(config.name);
                if (problem !== undefined || names.has(config.name)) {
                    throw new WorkspaceError('invalid-path', `"${config.name}" cannot name a shared folder: ${problem ?? 'another shared folder has this name'}.`);
                }
                names.add(config.name);
                opened.push(await SharedRoot.open(config.name, this.toFsPath(config.uri), exclusions));
            }
            this.roots.clear();
            opened.forEach(root => this.roots.set(root.name, root));
            await this.stopWatchers([...this.watchers.keys()].filter(name => this.roots.get(name)?.realPath !== this.watchers.get(name)?.realPath));
            for (const root of opened) {
                if (!this.watchers.has(root.name)) {
                    this.watchers.set(root.name, { realPath: root.realPath, watcher: this.startWatcher(root.name) });
                }
            }
        });
    }

    /** The roots currently shared (for tests and diagnostics). */
    get sharedRootNames(): string[] {
        return [...this.roots.keys()];
    }

    // ---- reading -----------------------------------------------------------------------------

    stat(_requester: Requester, target: SharedPath): Promise<WorkspaceResult<EntryStat>> {
        return this.run(target, async () => {
            const { absolute, real } = await this.root(target).resolveExisting(target.path);
            return this.toEntryStat(await fs.stat(real), (await fs.lstat(absolute)).isSymbolicLink());
        });
    }

    readDirectory(_requester: Requester, target: SharedPath): Promise<WorkspaceResult<DirectoryEntry[]>> {
        return this.run(target, async () => {
            const root = this.root(target);
            const { real } = await root.resolveExisting(target.path);
            if (!(await fs.stat(real)).isDirectory()) {
                throw new WorkspaceError('not-a-directory', `"${describeSharedPath(target)}" is a file, not a folder.`);
            }
            const entries: DirectoryEntry[] = [];
            for (const dirent of await fs.readdir(real, { withFileTypes: true })) {
                const path = childPath(target.path, dirent.name);
                if (checkSegment(dirent.name) !== undefined || root.isExcluded(path) || root.isExcluded(root.relativeOf(nodePath.join(real, dirent.name)))) {
                    continue;
                }
                if (!dirent.isSymbolicLink()) {
                    entries.push({ name: dirent.name, type: this.typeOf(dirent), symlink: false });
                    continue;
                }
                // A link is listed only if it would be served: it leads inside the roots and not to an excluded file.
                const linked = await this.servedLinkTarget(root, nodePath.join(real, dirent.name));
                if (linked) {
                    entries.push({ name: dirent.name, type: this.typeOf(linked), symlink: true });
                }
            }
            return entries;
        });
    }

    readChunk(_requester: Requester, target: SharedPath, offset: number, length: number): Promise<WorkspaceResult<FileChunk>> {
        return this.run(target, async () => {
            const { real } = await this.root(target).resolveExisting(target.path);
            return readChunk(real, target, offset, length);
        });
    }

    findFiles(_requester: Requester, query: string, options: FindFilesOptions): Promise<WorkspaceResult<SharedPath[]>> {
        return this.run(NO_TARGET, async () => {
            const limit = Math.max(1, Math.min(MAX_FIND_RESULTS, Math.floor(options.limit) || MAX_FIND_RESULTS));
            const extra = new ExclusionMatcher(options.excludedGlobs ?? []);
            const matches: Array<SharedPath & { score: number }> = [];
            for (const root of this.roots.values()) {
                await walkTree(root.realPath, '', {
                    // Links are not followed: a search must neither loop nor leave the root.
                    skip: (path, dirent) => dirent.isSymbolicLink() || root.isExcluded(path) || extra.isExcluded(path) || checkSegment(dirent.name) !== undefined,
                    maxEntries: this.limits.maxSearchEntries
                }, entry => {
                    if (entry.dirent.isFile()) {
                        const score = scorePath(query, entry.path);
                        if (score !== undefined) {
                            matches.push({ root: root.name, path: entry.path, score });
                        }
                    }
                    return matches.length < 50 * MAX_FIND_RESULTS;
                });
            }
            matches.sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path));
            return matches.slice(0, limit).map(({ root, path }) => ({ root, path }));
        });
    }

    // ---- writing -----------------------------------------------------------------------------

    writeFile(requester: Requester, target: SharedPath, data: Uint8Array, options: WriteOptions): Promise<WorkspaceResult<EntryStat>> {
        return this.run(target, async () => {
            const uploadId = await this.doBeginUpload(requester, target, { ...options, size: data.byteLength });
            try {
                for (let offset = 0; offset < data.byteLength; offset += MAX_CHUNK_BYTES) {
                    await this.uploads.write(requester.peerId, uploadId, offset, data.subarray(offset, offset + MAX_CHUNK_BYTES));
                }
                return await this.doCommitUpload(requester, uploadId);
            } catch (error) {
                await this.uploads.abort(requester.peerId, uploadId);
                throw error;
            }
        });
    }

    beginUpload(requester: Requester, target: SharedPath, options: UploadOptions): Promise<WorkspaceResult<string>> {
        return this.run(target, () => this.doBeginUpload(requester, target, options));
    }

    uploadChunk(requester: Requester, uploadId: string, offset: number, data: Uint8Array): Promise<WorkspaceResult<number>> {
        return this.run(NO_TARGET, async () => {
            const upload = this.uploads.get(requester.peerId, uploadId);
            this.assertMayWrite(requester, upload.target);
            return this.uploads.write(requester.peerId, uploadId, offset, data);
        });
    }

    commitUpload(requester: Requester, uploadId: string): Promise<WorkspaceResult<EntryStat>> {
        return this.run(NO_TARGET, () => this.doCommitUpload(requester, uploadId));
    }

    abortUpload(requester: Requester, uploadId: string): Promise<WorkspaceResult<void>> {
        return this.run(NO_TARGET, () => this.uploads.abort(requester.peerId, uploadId));
    }

    async abortUploadsOf(peerId: string): Promise<void> {
        await this.uploads.abortAllOf(peerId);
    }

    createFolder(requester: Requester, target: SharedPath): Promise<WorkspaceResult<void>> {
        return this.run(target, async () => {
            this.assertMayWrite(requester, target);
            const destination = await this.root(target).resolveWriteTarget(target.path, 'created');
            if (destination.exists) {
                throw new WorkspaceError('already-exists', `"${describeSharedPath(target)}" already exists on the host.`);
            }
            this.assertParentExists(destination.parentExists, target);
            await fs.mkdir(destination.target);
        });
    }

    delete(requester: Requester, target: SharedPath, options: { readonly recursive: boolean }): Promise<WorkspaceResult<void>> {
        return this.run(target, async () => {
            this.assertMayWrite(requester, target);
            const root = this.root(target);
            const { entry } = await root.resolveLink(target.path, 'deleted');
            await this.removeEntry(root, entry, target, options.recursive);
        });
    }

    rename(requester: Requester, from: SharedPath, to: SharedPath, options: { readonly overwrite: boolean }): Promise<WorkspaceResult<void>> {
        return this.run(from, async () => {
            this.assertMayWrite(requester, from);
            this.assertMayWrite(requester, to);
            const source = await this.root(from).resolveLink(from.path, 'moved');
            const destinationRoot = this.root(to);
            const destination = await destinationRoot.resolveWriteTarget(to.path, 'replaced').catch(error => { throw toWorkspaceError(error, to); });
            this.assertParentExists(destination.parentExists, to);
            const sourceIsFolder = (await fs.lstat(source.entry)).isDirectory();
            if (sourceIsFolder && destination.target.startsWith(source.entry + nodePath.sep)) {
                throw new WorkspaceError('invalid-path', `"${describeSharedPath(from)}" cannot be moved into itself.`);
            }
            const sameEntry = destination.exists && (destination.target === source.entry || destination.target === source.real);
            if (destination.exists && !sameEntry) {
                if (!options.overwrite) {
                    throw new WorkspaceError('already-exists', `"${describeSharedPath(to)}" already exists on the host.`);
                }
                await this.removeEntry(destinationRoot, destination.target, to, true);
            }
            await fs.rename(source.entry, destination.target);
        });
    }

    // ---- helpers -----------------------------------------------------------------------------

    private async doBeginUpload(requester: Requester, target: SharedPath, options: UploadOptions): Promise<string> {
        this.assertMayWrite(requester, target);
        const destination = await this.root(target).resolveWriteTarget(target.path, 'replaced');
        let mode: number | undefined;
        if (destination.exists) {
            const stat = await fs.stat(destination.target);
            if (stat.isDirectory()) {
                throw new WorkspaceError('is-a-directory', `"${describeSharedPath(target)}" is a folder, not a file.`);
            }
            if (!options.overwrite) {
                throw new WorkspaceError('already-exists', `"${describeSharedPath(target)}" already exists on the host.`);
            }
            mode = stat.mode & 0o7777;
        } else {
            if (!options.create) {
                throw WorkspaceErrors.notFound(target);
            }
            this.assertParentExists(destination.parentExists, target);
        }
        const upload = await this.uploads.begin(requester.peerId, target, destination.target,
            { size: options.size, create: options.create, overwrite: options.overwrite, mode });
        return upload.id;
    }

    private async doCommitUpload(requester: Requester, uploadId: string): Promise<EntryStat> {
        const pending = this.uploads.get(requester.peerId, uploadId);
        if (requester.role === 'read-only') {
            await this.uploads.abort(requester.peerId, uploadId);
        }
        this.assertMayWrite(requester, pending.target);
        const upload = await this.uploads.finish(requester.peerId, uploadId);
        try {
            // Checked again: the folder may have been replaced, unshared or excluded while the bytes travelled.
            const destination = await this.root(upload.target).resolveWriteTarget(upload.target.path, 'replaced');
            if (destination.target !== upload.destination) {
                throw new WorkspaceError('conflict', `"${describeSharedPath(upload.target)}" moved on the host during the upload; save again.`);
            }
            if (destination.exists) {
                if ((await fs.stat(destination.target)).isDirectory()) {
                    throw new WorkspaceError('is-a-directory', `"${describeSharedPath(upload.target)}" became a folder during the upload.`);
                }
                if (!upload.overwrite) {
                    throw new WorkspaceError('already-exists', `"${describeSharedPath(upload.target)}" was created on the host during the upload.`);
                }
            } else if (!upload.create) {
                throw WorkspaceErrors.notFound(upload.target);
            }
            await fs.rename(upload.tempPath, destination.target);
            return this.toEntryStat(await fs.stat(destination.target), false);
        } catch (error) {
            await this.uploads.discard(upload);
            throw toWorkspaceError(error, upload.target);
        }
    }

    private async removeEntry(root: SharedRoot, entry: string, target: SharedPath, recursive: boolean): Promise<void> {
        const stat = await fs.lstat(entry);
        if (!stat.isDirectory()) {
            await fs.unlink(entry);
            return;
        }
        if (!recursive) {
            await fs.rmdir(entry);
            return;
        }
        // Guests must not destroy what they are not allowed to see.
        const hidden = await findInTree(entry, root.relativeOf(entry), path => root.isExcluded(path));
        if (hidden !== undefined) {
            throw new WorkspaceError('excluded',
                `"${describeSharedPath(target)}" contains files the host excludes from sharing (collaboration.excludedFiles); only the host can delete it.`);
        }
        await fs.rm(entry, { recursive: true });
    }

    private assertMayWrite(requester: Requester, target: SharedPath): void {
        if (requester.role === 'read-only') {
            throw WorkspaceErrors.readOnly(describeSharedPath(target));
        }
        if (requester.role !== 'read-write' && requester.role !== 'host') {
            throw new WorkspaceError('permission-denied', `Peer ${requester.peerId} has no known role and may not change "${describeSharedPath(target)}".`);
        }
    }

    private assertParentExists(parentExists: boolean, target: SharedPath): void {
        if (!parentExists) {
            const slash = target.path.lastIndexOf('/');
            throw new WorkspaceError('not-found',
                `The folder "${describeSharedPath({ root: target.root, path: slash < 0 ? '' : target.path.slice(0, slash) })}" does not exist on the host.`);
        }
    }

    private root(target: SharedPath): SharedRoot {
        if (typeof target?.root !== 'string' || typeof target.path !== 'string') {
            throw new WorkspaceError('invalid-path', 'A workspace request needs a shared folder name and a path.');
        }
        const root = this.roots.get(target.root);
        if (!root) {
            throw WorkspaceErrors.notShared(target.root);
        }
        return root;
    }

    private async servedLinkTarget(root: SharedRoot, link: string): Promise<Stats | undefined> {
        try {
            const real = await fs.realpath(link);
            if (!root.contains(real) || root.isExcluded(root.relativeOf(real))) {
                return undefined;
            }
            return await fs.stat(real);
        } catch {
            return undefined; // dangling or looping: not served
        }
    }

    private typeOf(entry: { isFile(): boolean; isDirectory(): boolean }): EntryType {
        return entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other';
    }

    private toEntryStat(stat: Stats, symlink: boolean): EntryStat {
        return { type: this.typeOf(stat), symlink, size: stat.size, mtime: stat.mtimeMs, ctime: stat.ctimeMs };
    }

    private toFsPath(uri: string): string {
        if (!uri.startsWith('file:')) {
            throw new WorkspaceError('invalid-path', `Only folders on the host's disk (file: URIs) can be shared, not ${uri}.`);
        }
        return FileUri.fsPath(uri);
    }

    private startWatcher(name: string): Promise<SharedRootWatcher | undefined> {
        const root = this.roots.get(name);
        if (!root) {
            return Promise.resolve(undefined);
        }
        // The watcher looks the root up on every event, so new exclusions apply without restarting it.
        return SharedRootWatcher.start(root.realPath, () => this.roots.get(name), changes => this.reportChanges(changes), error => {
            console.warn(`Ensemble: watching the shared folder "${name}" failed; guests may miss changes.`, error);
        }).catch(error => {
            console.warn(`Ensemble: cannot watch the shared folder "${name}"; guests will not see its changes live.`, error);
            return undefined;
        });
    }

    private reportChanges(changes: WorkspaceFileChange[]): void {
        // Only roots still shared: a late event of a root just unshared is dropped.
        const shared = changes.filter(change => this.roots.has(change.root));
        if (shared.length > 0) {
            this.client?.onDidChangeFiles(shared);
        }
    }

    private async stopWatchers(names: string[]): Promise<void> {
        await Promise.all(names.map(async name => {
            const entry = this.watchers.get(name);
            this.watchers.delete(name);
            const watcher = await entry?.watcher;
            await watcher?.dispose();
        }));
    }

    private async run<T>(target: SharedPath, action: () => Promise<T>): Promise<WorkspaceResult<T>> {
        try {
            return success(await action());
        } catch (error) {
            if (!(error instanceof WorkspaceError) && errnoCode(error) === undefined) {
                console.error('Ensemble: unexpected error while serving the shared workspace', error);
            }
            return failure(toWorkspaceError(error, target));
        }
    }
}

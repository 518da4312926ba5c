import type { CollaborationSession } from '@ensemble/collaboration-common';
import {
    HostWorkspaceService, type SharedPath, type SharedRootConfig
} from '@ensemble/collaboration-backend/lib/common/workspace-sharing-protocol';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { MessageService } from '@theia/core/lib/common/message-service';
import type { RpcConnectionEventEmitter } from '@theia/core/lib/common/messaging/proxy-factory';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { SharedRootsChanged } from '../../../common/workspace-messages';
import { TransferPacer } from '../transfer-pacer';
import { EXCLUDED_FILES_PREFERENCE, WorkspaceSharingPreferences } from '../workspace-sharing-preferences';
import { broadcastFileChanges } from './file-change-relay';
import { registerHostRequestHandlers } from './host-request-handlers';
import { HostWorkspaceChangeRelay } from './host-workspace-change-relay';
import { nameWorkspaceRoots } from './shared-root-names';

/** A folder of the host's workspace and the name guests know it by. */
export interface SharedFolder {
    readonly name: string;
    readonly uri: URI;
}

interface ActiveSharing {
    readonly session: CollaborationSession;
    shared: readonly SharedFolder[];
}

/**
 * The host's side of workspace sharing: while hosting, shares the
 * workspace's folders (all but those the host stopped sharing) through the
 * backend, answers the guests' requests, tells them about changes and about
 * the set of shared folders. Other features map between the host's `file:`
 * URIs and shared paths with `toSharedPath` / `toFileUri`.
 */
@injectable()
export class HostWorkspaceSharing {
    @inject(WorkspaceService) protected readonly workspaceService!: WorkspaceService;
    @inject(FileService) protected readonly fileService!: FileService;
    @inject(HostWorkspaceService) protected readonly backend!: HostWorkspaceService;
    @inject(HostWorkspaceChangeRelay) protected readonly relay!: HostWorkspaceChangeRelay;
    @inject(WorkspaceSharingPreferences) protected readonly preferences!: WorkspaceSharingPreferences;
    @inject(MessageService) protected readonly messages!: MessageService;

    /** Workspace folders (URI strings) the host chose not to share; kept for this window's next sessions too. */
    private readonly notShared = new Set<string>();
    private active: ActiveSharing | undefined;
    private updates: Promise<void> = Promise.resolve();
    private readonly changeEmitter = new Emitter<void>();
    /** The shared folders changed (or sharing started or stopped). */
    readonly onDidChangeSharing: Event<void> = this.changeEmitter.event;

    get isSharing(): boolean {
        return this.active !== undefined;
    }

    get sharedFolders(): readonly SharedFolder[] {
        return this.active?.shared ?? [];
    }

    /** Workspace folders that are not shared because the host stopped sharing them. */
    get unsharedFolders(): readonly URI[] {
        return this.workspaceFolders().filter(uri => this.notShared.has(uri.toString()));
    }

    /** The shared path of a host file, or undefined if it is not under a shared folder. */
    toSharedPath(uri: URI): SharedPath | undefined {
        for (const folder of this.sharedFolders) {
            const relative = folder.uri.relative(uri);
            if (relative !== undefined) {
                const path = relative.toString();
                return { root: folder.name, path };
            }
        }
        return undefined;
    }

    /** The host's `file:` URI of a shared path, or undefined if no shared folder has that name. */
    toFileUri(target: SharedPath): URI | undefined {
        const folder = this.sharedFolders.find(candidate => candidate.name === target.root);
        return folder && (target.path === '' ? folder.uri : folder.uri.resolve(target.path));
    }

    /** Called for every session this window hosts, before it connects. */
    async start(session: CollaborationSession): Promise<Disposable> {
        const active: ActiveSharing = { session, shared: [] };
        this.active = active;
        const toDispose = new DisposableCollection();
        toDispose.push(registerHostRequestHandlers(session, {
            backend: this.backend,
            pacer: new TransferPacer(),
            sharedRootNames: () => active.shared.map(folder => folder.name)
        }));
        toDispose.push(this.relay.onChanges(changes => broadcastFileChanges(session, changes)));
        toDispose.push(this.workspaceService.onWorkspaceChanged(() => this.update()));
        toDispose.push(this.preferences.onPreferenceChanged(event => {
            if (event.preferenceName === EXCLUDED_FILES_PREFERENCE) {
                void this.update();
            }
        }));
        const connection = this.backend as Partial<RpcConnectionEventEmitter>;
        if (connection.onDidOpenConnection) {
            // A new backend connection starts with nothing shared: share again.
            toDispose.push(connection.onDidOpenConnection(() => this.update()));
        }
        toDispose.push(Disposable.create(() => {
            if (this.active === active) {
                this.active = undefined;
                // Queued behind pending updates, so a late update cannot share again after the session.
                this.updates = this.updates.then(async () => { await this.backend.setSharedRoots([], { excludedGlobs: [] }); }).catch(() => undefined);
                this.changeEmitter.fire();
            }
        }));
        await this.workspaceService.roots;
        await this.update();
        return toDispose;
    }

    async stopSharing(folder: URI): Promise<void> {
        this.notShared.add(folder.toString());
        await this.update();
    }

    async shareAgain(folder: URI): Promise<void> {
        this.notShared.delete(folder.toString());
        await this.update();
    }

    /** Applies the current folders and exclusions; one update at a time, in order. */
    protected update(): Promise<void> {
        this.updates = this.updates.then(() => this.doUpdate()).catch(error => {
            void this.messages.error(`Ensemble: sharing the workspace with guests failed: ${error instanceof Error ? error.message : String(error)}`);
        });
        return this.updates;
    }

    private async doUpdate(): Promise<void> {
        const active = this.active;
        if (!active) {
            return;
        }
        const folders = this.workspaceFolders();
        const names = nameWorkspaceRoots(folders);
        const candidates: SharedFolder[] = folders
            .filter(uri => !this.notShared.has(uri.toString()))
            .map(uri => ({ name: names.get(uri.toString())!, uri }));
        // A workspace folder missing on disk would fail the whole share: leave it out.
        const existing = (await Promise.all(candidates.map(async folder => (await this.fileService.exists(folder.uri)) ? folder : undefined)))
            .filter((folder): folder is SharedFolder => folder !== undefined);
        const configs: SharedRootConfig[] = existing.map(folder => ({ name: folder.name, uri: folder.uri.toString() }));
        const result = await this.backend.setSharedRoots(configs, { excludedGlobs: this.excludedGlobs() });
        if (this.active !== active) {
            return;
        }
        const shared = result.ok ? existing : [];
        if (!result.ok) {
            void this.messages.error(`Ensemble: guests cannot see your files: ${result.error.message}`);
        }
        const before = active.shared.map(folder => folder.name).join('\u0000');
        active.shared = shared;
        if (before !== shared.map(folder => folder.name).join('\u0000') && active.session.state === 'connected') {
            active.session.sendBroadcast(SharedRootsChanged, { roots: shared.map(folder => ({ name: folder.name })) });
        }
        this.changeEmitter.fire();
    }

    private workspaceFolders(): URI[] {
        return this.workspaceService.tryGetRoots().map(root => root.resource).filter(uri => uri.scheme === 'file');
    }

    private excludedGlobs(): string[] {
        const globs = this.preferences[EXCLUDED_FILES_PREFERENCE];
        return Array.isArray(globs) ? globs.filter((glob): glob is string => typeof glob === 'string') : [];
    }
}

import type { CollaborationSession } from '@ensemble/collaboration-common';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { NavigatableWidget } from '@theia/core/lib/browser/navigatable-types';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { MessageService } from '@theia/core/lib/common/message-service';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { FilesChanged, GetSharedRoots, SharedRootsChanged } from '../../../common/workspace-messages';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { ENSEMBLE_SCHEME, ensembleWorkspaceUri, toEnsembleUri } from '../ensemble-uri';
import { GuestAwareWorkspaceService } from './guest-workspace-service';
import { HostFileSystemProvider } from './host-file-system-provider';
import { HostRequests } from './host-requests';
import { TransferProgressNotifier } from './transfer-progress-notifier';

/** The host's workspace as mounted in this (guest) window. */
export interface MountedHostWorkspace {
    readonly session: CollaborationSession;
    readonly roomId: string;
    readonly provider: HostFileSystemProvider;
    readonly rootNames: readonly string[];
}

/** What one session mounted, to undo when it ends. */
interface Mounting {
    readonly session: CollaborationSession;
    readonly provider: HostFileSystemProvider;
    readonly toDispose: DisposableCollection;
}

/**
 * A guest's side of workspace sharing: once admitted, registers the
 * `ensemble` file-system provider, shows the host's shared folders as this
 * window's workspace, keeps the provider read-only while the guest is, and
 * relays the host's change events. When the session ends, editors on the
 * host's files close (unsaved edits cannot be saved anywhere any more), the
 * provider goes away and the window gets its own workspace back.
 */
@injectable()
export class GuestWorkspaceMount {
    @inject(FileService) protected readonly fileService!: FileService;
    @inject(WorkspaceService) protected readonly workspaceService!: WorkspaceService;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(TransferProgressNotifier) protected readonly progress!: TransferProgressNotifier;
    @inject(MessageService) protected readonly messages!: MessageService;
    @inject(ApplicationShell) @optional() protected readonly shell?: ApplicationShell;

    private mounted: MountedHostWorkspace | undefined;

    get current(): MountedHostWorkspace | undefined {
        return this.mounted;
    }

    /** Called for every session this window joins as a guest, before it connects. */
    start(session: CollaborationSession): Disposable {
        const toDispose = new DisposableCollection();
        let mounting: Promise<void> | undefined;
        let mine: Mounting | undefined;
        let ended = false;

        toDispose.push(session.onBroadcast(FilesChanged, ({ changes }) => mine?.provider.applyChanges(changes)));
        toDispose.push(session.onBroadcast(SharedRootsChanged, ({ roots }) => {
            if (mine) {
                void this.showRoots(session, roots.map(root => root.name));
            }
        }));
        toDispose.push(session.onPeerRoleChanged(({ peerId, role }) => {
            if (peerId === session.peerId) {
                mine?.provider.setReadOnly(role === 'read-only');
            }
        }));
        toDispose.push(session.onReconnect(({ recovered }) => {
            if (mine && !recovered) {
                void this.refreshRoots(session); // messages may have been missed: ask again
            }
        }));
        const mountWhenAdmitted = (): void => {
            // `joined` is the first state in which the guest may send requests to the host.
            if (!mounting && !ended && this.sessions.session === session && this.sessions.state.kind === 'joined' && session.roomId) {
                mounting = this.mount(session).then(mounted => {
                    if (ended) {
                        void this.unmount(mounted);
                    } else {
                        mine = mounted;
                    }
                }, error => {
                    void this.messages.error(`Ensemble: could not show the host's files: ${error instanceof Error ? error.message : String(error)}`);
                });
            }
        };
        toDispose.push(this.sessions.onDidChangeState(mountWhenAdmitted));
        mountWhenAdmitted();
        toDispose.push(Disposable.create(() => {
            ended = true;
            if (mine) {
                void this.unmount(mine);
                mine = undefined;
            }
        }));
        return toDispose;
    }

    protected async mount(session: CollaborationSession): Promise<Mounting> {
        const roomId = session.roomId!;
        const provider = new HostFileSystemProvider(session, roomId);
        provider.setReadOnly(session.role === 'read-only');
        const toDispose = new DisposableCollection(provider);
        toDispose.push(this.fileService.registerProvider(ENSEMBLE_SCHEME, provider));
        toDispose.push(this.progress.attach(provider));
        this.mounted = { session, roomId, provider, rootNames: [] };
        try {
            await this.refreshRoots(session);
        } catch (error) {
            this.mounted = undefined;
            toDispose.dispose();
            throw error;
        }
        return { session, provider, toDispose };
    }

    protected async refreshRoots(session: CollaborationSession): Promise<void> {
        const { roots } = await new HostRequests(session).send(GetSharedRoots, {}, { retryOnTimeout: true });
        await this.showRoots(session, roots.map(root => root.name));
    }

    protected async showRoots(session: CollaborationSession, rootNames: readonly string[]): Promise<void> {
        const mounted = this.mounted;
        if (mounted?.session !== session) {
            return;
        }
        this.mounted = { ...mounted, rootNames };
        const hostName = session.peers.get(session.hostPeerId ?? '')?.name ?? 'the host';
        await this.guestAwareWorkspace().openGuestWorkspace({
            uri: ensembleWorkspaceUri(mounted.roomId, `${hostName}'s session`),
            name: `${hostName}'s session (Ensemble)`,
            roots: rootNames.map(name => ({ name, uri: toEnsembleUri(mounted.roomId, { root: name, path: '' }) }))
        });
        if (rootNames.length === 0) {
            void this.messages.info('Ensemble: the host shares no folders right now; they appear here as soon as the host shares one.');
        }
    }

    protected async unmount(mounting: Mounting): Promise<void> {
        if (this.mounted?.session === mounting.session) {
            this.mounted = undefined;
        }
        try {
            await this.closeHostEditors();
            await this.guestAwareWorkspace().closeGuestWorkspace();
        } finally {
            mounting.toDispose.dispose();
        }
    }

    /** Editors on the host's files cannot be saved once the session is over. */
    protected async closeHostEditors(): Promise<void> {
        if (!this.shell) {
            return;
        }
        const hostEditors = this.shell.widgets.filter(widget => NavigatableWidget.is(widget) && widget.getResourceUri()?.scheme === ENSEMBLE_SCHEME);
        if (hostEditors.length > 0) {
            await this.shell.closeMany([...hostEditors], { save: false });
        }
    }

    private guestAwareWorkspace(): GuestAwareWorkspaceService {
        if (!(this.workspaceService instanceof GuestAwareWorkspaceService)) {
            throw new Error('Another extension replaced the workspace service; the host\'s folders cannot be shown as this window\'s workspace.');
        }
        return this.workspaceService;
    }
}

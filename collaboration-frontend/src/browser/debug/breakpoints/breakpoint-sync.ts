import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BreakpointManager } from '@theia/debug/lib/browser/breakpoint/breakpoint-manager';
import { checkRelativePath, type SharedPath } from '@ensemble/collaboration-backend/lib/common/workspace-path';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { askHostOnceAdmittedAndAfterLoss } from '../../session/session-entered';
import { parseEnsembleUri, roomAuthority, toEnsembleUri } from '../../workspace/ensemble-uri';
import { HostWorkspaceSharing } from '../../workspace/host/host-workspace-sharing';
import { BreakpointsChanged, ListBreakpoints, MAX_BREAKPOINT_FILES, SetBreakpoints, type SharedBreakpoint } from '../debug-messages';
import { HostLists } from './host-lists';
import { byPosition, fromSharedBreakpoints, mergeChanges, positionOf, sameLists, toSharedBreakpoints } from './shared-breakpoints';

/**
 * Shares source breakpoints of shared files both ways, as in Live Share:
 * the host's appear on guests (on `ensemble:` URIs), any guest's on the host
 * and the other guests. The host is the arbiter: a guest sends its file's
 * new list (and the list it changed) to the host, the host makes the same
 * changes to its list and broadcasts the result, so that all peers end with
 * one list even when two change a file at once.
 * Each side remembers the last list it sent or got per file and sends only
 * a list that differs: applying a received list never echoes.
 */
@injectable()
export class BreakpointSync {
    @inject(BreakpointManager) protected readonly breakpoints!: BreakpointManager;
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;

    start(session: CollaborationSession, isHost: boolean): Disposable {
        const lastShared = new Map<string, SharedBreakpoint[]>();
        const keyOf = (target: SharedPath) => `${target.root}\u0000${target.path}`;
        /** On the host: counts its broadcasts (see HostLists). */
        let hostVersion = 0;
        const hostLists = new HostLists(positionOf, byPosition);
        const toDispose = new DisposableCollection();

        const targetOf = (uri: URI): SharedPath | undefined => {
            if (isHost) {
                return uri.scheme === 'file' ? this.sharing.toSharedPath(uri) : undefined;
            }
            const parsed = parseEnsembleUri(uri);
            return parsed && session.roomId && parsed.roomId === roomAuthority(session.roomId) ? { root: parsed.root, path: parsed.path } : undefined;
        };
        const uriOf = (target: SharedPath): URI | undefined => {
            if (checkRelativePath(target.path) !== undefined) {
                return undefined; // `..` and the like: a peer's list names only files inside the shared folders
            }
            if (isHost) {
                return this.sharing.toFileUri(target);
            }
            return session.roomId ? toEnsembleUri(session.roomId, target) : undefined;
        };
        const localList = (uri: URI) => toSharedBreakpoints(this.breakpoints.getBreakpoints(uri).map(bp => bp.origin));

        /** Applies a peer's list; returns the list the file has afterwards. */
        const apply = (target: SharedPath, list: readonly SharedBreakpoint[]): SharedBreakpoint[] | undefined => {
            const uri = uriOf(target);
            if (!uri) {
                return undefined;
            }
            lastShared.set(keyOf(target), [...list]);
            if (!sameLists(localList(uri), list)) {
                const existing = this.breakpoints.getBreakpoints(uri).map(bp => bp.origin);
                this.breakpoints.setBreakpoints(uri, fromSharedBreakpoints(uri, list, existing));
            }
            const result = localList(uri);
            lastShared.set(keyOf(target), result);
            return result;
        };

        /** On a guest: the host's list of a file as of `version` (see HostLists). */
        const receiveFromHost = (target: SharedPath, list: SharedBreakpoint[], version: number): void => {
            const mine = hostLists.receive(keyOf(target), list, version, lastShared.get(keyOf(target)) ?? []);
            if (mine) {
                apply(target, mine);
            }
        };

        /** Tells a change of `uri`'s breakpoints made here, if there is one (nothing while offline: the reconnection tells it). */
        const tellChange = (uri: URI, evenIfUnchanged = false): void => {
            const target = targetOf(uri);
            if (!target || session.state !== 'connected') {
                return;
            }
            const list = localList(uri);
            const last = lastShared.get(keyOf(target));
            if (!evenIfUnchanged && (last && sameLists(last, list) || !last && list.length === 0)) {
                return;
            }
            lastShared.set(keyOf(target), list);
            if (isHost) {
                session.sendBroadcast(BreakpointsChanged, { target, breakpoints: list, version: ++hostVersion });
            } else {
                session.sendNotification(SetBreakpoints, { target, breakpoints: list, base: last ?? [] }, { type: 'host' });
            }
        };
        toDispose.push(this.breakpoints.onDidChangeMarkers(uri => tellChange(uri)));
        const sharedUris = (): URI[] => [...this.breakpoints.getUris()].map(raw => new URI(raw)).filter(uri => targetOf(uri) !== undefined);
        toDispose.push(session.onReconnect(({ recovered }) => {
            // Changes made here while offline; on the host, after a reconnection that lost messages, everything again.
            const everything = isHost && !recovered;
            sharedUris().forEach(uri => tellChange(uri, everything));
        }));

        if (isHost) {
            toDispose.push(session.onNotification(SetBreakpoints, ({ target, breakpoints, base }, { origin }) => {
                const uri = uriOf(target);
                if (!session.peers.has(origin) || !uri) {
                    return; // not (or no longer) a participant, or not a shared file
                }
                const result = apply(target, mergeChanges(localList(uri), base, breakpoints, positionOf, byPosition));
                if (result) {
                    // Everyone, the sender too: if it changed the file again meanwhile, its newer change follows and is merged the same way.
                    session.sendBroadcast(BreakpointsChanged, { target, breakpoints: result, version: ++hostVersion });
                }
            }));
            toDispose.push(session.onRequest(ListBreakpoints, () => {
                const files = [];
                for (const uri of this.breakpoints.getUris()) {
                    const target = targetOf(new URI(uri));
                    if (target && files.length < MAX_BREAKPOINT_FILES) {
                        files.push({ target, breakpoints: localList(new URI(uri)) });
                    }
                }
                return { files, version: hostVersion };
            }));
        } else {
            toDispose.push(session.onBroadcast(BreakpointsChanged, ({ target, breakpoints, version }) => {
                receiveFromHost(target, breakpoints, version);
            }));
            const list = (): void => {
                session.sendRequest(ListBreakpoints, {}, { type: 'host' })
                    .then(({ files, version }) => {
                        // A file the host no longer lists has no breakpoints left (removed while this guest missed the broadcast).
                        const listed = new Set(files.map(({ target }) => keyOf(target)));
                        const emptied = sharedUris().map(uri => targetOf(uri)!).filter(target => !listed.has(keyOf(target)));
                        for (const { target, breakpoints } of [...files, ...emptied.map(target => ({ target, breakpoints: [] }))]) {
                            receiveFromHost(target, breakpoints, version);
                        }
                    })
                    .catch(() => undefined); // the host's next change brings them; nothing is lost on the host
            };
            // After a reconnection that lost broadcasts, asked again (after telling what changed here meanwhile, above).
            toDispose.push(askHostOnceAdmittedAndAfterLoss(this.sessions, session, list));
        }
        return Disposable.create(() => {
            toDispose.dispose();
            if (!isHost) {
                // The host's files are gone from this window with the session: so are the breakpoints in them.
                for (const uri of [...this.breakpoints.getUris()].map(raw => new URI(raw))) {
                    if (targetOf(uri)) {
                        this.breakpoints.setBreakpoints(uri, []);
                    }
                }
            }
        });
    }
}

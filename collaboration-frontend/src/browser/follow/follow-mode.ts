import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import type { EditorWidget } from '@theia/editor/lib/browser/editor-widget';
import { MonacoEditor } from '@theia/monaco/lib/browser/monaco-editor';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { toEnsembleUri } from '../workspace/ensemble-uri';
import { HostWorkspaceSharing } from '../workspace/host/host-workspace-sharing';
import { parseLeaderLocation, type LeaderLocation } from './leader-location';

/**
 * Follow mode: while this window follows a peer, its editor goes to the
 * peer's shared file and caret line whenever the peer's status moves. It
 * stops as soon as the user acts: a key or a click in an editor, or another
 * editor brought to front by the user.
 */
@injectable()
export class FollowModeContribution implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(EditorManager) protected readonly editorManager!: EditorManager;
    @inject(HostWorkspaceSharing) protected readonly sharing!: HostWorkspaceSharing;

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        const toDispose = new DisposableCollection();
        /** The file follow mode is taking the editor to: a switch to it is not the user's. */
        let goingTo: string | undefined;
        let last: string | undefined;
        /** Counts navigations: an open that resolves after a newer one started must not move the editor back. */
        let generation = 0;
        const inputListener = new DisposableCollection();
        toDispose.push(inputListener);

        const stop = (): void => {
            if (this.sessions.followedPeerId !== undefined) {
                this.sessions.follow(undefined);
            }
        };
        const watchInput = (widget: EditorWidget | undefined): void => {
            inputListener.dispose();
            const editor = widget?.editor;
            if (editor instanceof MonacoEditor && this.sessions.followedPeerId !== undefined) {
                const control = editor.getControl();
                inputListener.push(control.onKeyDown(() => stop()));
                inputListener.push(control.onMouseDown(() => stop()));
            }
        };
        const uriOf = (location: LeaderLocation): URI | undefined =>
            isHost ? this.sharing.toFileUri(location.target) : session.roomId ? toEnsembleUri(session.roomId, location.target) : undefined;

        const go = async (): Promise<void> => {
            const leader = this.sessions.followedPeerId;
            const location = leader ? parseLeaderLocation(session.statuses.get(leader)?.status) : undefined;
            const uri = location && uriOf(location);
            if (!location || !uri) {
                return;
            }
            const where = `${uri.toString()}#${location.line}`;
            if (where === last) {
                return;
            }
            last = where;
            goingTo = uri.toString();
            const mine = ++generation;
            try {
                const widget = await this.editorManager.open(uri, { mode: 'activate' });
                const editor = widget.editor;
                if (mine !== generation || this.sessions.followedPeerId !== leader) {
                    return;
                }
                if (editor instanceof MonacoEditor) {
                    const control = editor.getControl();
                    control.setPosition({ lineNumber: location.line, column: 1 });
                    control.revealLineInCenter(location.line);
                }
                watchInput(widget);
            } catch {
                last = undefined; // the leader's file cannot be opened here (not shared any more): try again on its next move
            }
        };

        toDispose.push(this.sessions.onDidChangeFollowing(({ peerId }) => {
            last = undefined;
            goingTo = undefined;
            if (peerId) {
                void go();
                watchInput(this.editorManager.currentEditor);
            } else {
                inputListener.dispose();
            }
        }));
        toDispose.push(session.onStatusChanged(entry => {
            if (entry.peerId === this.sessions.followedPeerId) {
                void go();
            }
        }));
        toDispose.push(this.editorManager.onCurrentEditorChanged(widget => {
            if (this.sessions.followedPeerId === undefined) {
                return;
            }
            if (widget && widget.editor.uri.toString() !== goingTo) {
                stop(); // the user brought another editor to front
            } else {
                watchInput(widget);
            }
        }));
        return toDispose;
    }
}

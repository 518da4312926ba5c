import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import type { EditorWidget } from '@theia/editor/lib/browser/editor-widget';
import { MonacoEditor } from '@theia/monaco/lib/browser/monaco-editor';
import type * as monaco from '@theia/monaco-editor-core';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { toEnsembleUri } from '../workspace/ensemble-uri';
import { HostWorkspaceSharing } from '../workspace/host/host-workspace-sharing';
import { Follower } from './follower';
import type { LeaderLocation } from './leader-location';

/**
 * Follow mode in the workbench: while this window follows a peer, the
 * Follower takes its editor to the peer's shared file, caret line and
 * scroll position whenever the peer's status moves. It stops as soon as
 * the user acts: a key, a click or a scroll in the editor, or another
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
        const uriOf = (location: LeaderLocation): URI | undefined =>
            isHost ? this.sharing.toFileUri(location.target) : session.roomId ? toEnsembleUri(session.roomId, location.target) : undefined;
        const stop = (): void => {
            if (this.sessions.followedPeerId !== undefined) {
                this.sessions.follow(undefined);
            }
        };
        const follower = new Follower({
            session,
            leader: () => this.sessions.followedPeerId,
            open: async location => {
                const uri = uriOf(location);
                if (!uri) {
                    return undefined;
                }
                goingTo = uri.toString();
                const current = this.editorManager.currentEditor;
                if (current?.isVisible && current.editor.uri.toString() === goingTo) {
                    // Already in front: scroll it without activating it again (which would take the focus, e.g. from the chat, many times a second).
                    return controlOf(current);
                }
                return controlOf(await this.editorManager.open(uri, { mode: 'activate' }));
            },
            stop
        });
        toDispose.push(follower);

        toDispose.push(this.sessions.onDidChangeFollowing(({ peerId }) => {
            goingTo = undefined;
            if (peerId) {
                follower.watch(controlOf(this.editorManager.currentEditor));
                void follower.start();
            } else {
                follower.end();
            }
        }));
        toDispose.push(this.editorManager.onCurrentEditorChanged(widget => {
            if (this.sessions.followedPeerId === undefined) {
                return;
            }
            if (widget && widget.editor.uri.toString() !== goingTo) {
                stop(); // the user brought another editor to front
            } else {
                follower.watch(controlOf(widget));
            }
        }));
        return toDispose;
    }
}

function controlOf(widget: EditorWidget | undefined): monaco.editor.ICodeEditor | undefined {
    const editor = widget?.editor;
    return editor instanceof MonacoEditor ? editor.getControl() : undefined;
}

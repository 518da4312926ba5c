import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import type { EditorWidget } from '@theia/editor/lib/browser/editor-widget';
import { MonacoEditor } from '@theia/monaco/lib/browser/monaco-editor';
import { SharedDocuments } from '../cursors/shared-documents';
import { Throttle } from '../cursors/throttle';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { editorView } from './editor-view';
import { locationStatus, type LeaderLocation } from './leader-location';

/** A status update is a message to every peer: the caret's line and the scroll position go out at most this often. */
const LOCATION_INTERVAL_MS = 200;

/**
 * Publishes this peer's shared file in front, its caret line and its first
 * visible line in its status (`activeShared`, `activeLine`,
 * `activeTopLine`), so that whoever follows it can go there and see the
 * same lines. Files that are not shared are not named.
 */
@injectable()
export class LocationStatusContribution implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(EditorManager) protected readonly editorManager!: EditorManager;
    @inject(SharedDocuments) protected readonly documents!: SharedDocuments;

    onSessionStarting({ isHost }: SessionContext): Disposable {
        const toDispose = new DisposableCollection();
        let published: string | undefined;
        const publish = (): void => {
            const location = this.locate(this.editorManager.currentEditor, isHost);
            const key = JSON.stringify(location ?? null);
            if (key !== published) {
                published = key;
                this.sessions.updateOwnStatus(locationStatus(location));
            }
        };
        const throttle = new Throttle(publish, LOCATION_INTERVAL_MS);
        const caretListener = new DisposableCollection();
        const watch = (widget: EditorWidget | undefined): void => {
            caretListener.dispose();
            const editor = widget?.editor;
            if (editor instanceof MonacoEditor) {
                const control = editor.getControl();
                caretListener.push(control.onDidChangeCursorPosition(() => throttle.schedule()));
                caretListener.push(control.onDidScrollChange(event => {
                    if (event.scrollTopChanged) {
                        throttle.schedule();
                    }
                }));
                // The first visible line is known once the editor is laid out.
                caretListener.push(control.onDidLayoutChange(() => throttle.schedule()));
            }
            throttle.schedule();
        };
        toDispose.push(this.editorManager.onCurrentEditorChanged(watch));
        toDispose.push(caretListener);
        toDispose.push(Disposable.create(() => throttle.dispose()));
        watch(this.editorManager.currentEditor);
        return toDispose;
    }

    protected locate(widget: EditorWidget | undefined, isHost: boolean): LeaderLocation | undefined {
        const editor = widget?.editor;
        const target = editor && this.documents.sharedPath(editor.uri, isHost);
        if (!editor || !target) {
            return undefined;
        }
        return editor instanceof MonacoEditor ? { target, ...editorView(editor.getControl()) } : { target, line: editor.cursor.line + 1 };
    }
}

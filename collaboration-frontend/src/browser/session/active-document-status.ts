import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import type { EditorWidget } from '@theia/editor/lib/browser/editor-widget';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { inject, injectable } from '@theia/core/shared/inversify';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { StatusKeys } from '../participants/participant';
import { CollaborationSessionService } from './collaboration-session-service';
import type { CollaborationSessionContribution } from './session-contribution';

/**
 * Publishes `activeDocument` in this peer's status: the workspace-relative
 * path of the editor in front (or its file name outside the workspace), so the
 * Participants view shows where everyone is. Editor sync may later publish a
 * richer location; it then owns this key.
 */
@injectable()
export class ActiveDocumentStatus implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(EditorManager) protected readonly editors!: EditorManager;
    @inject(WorkspaceService) protected readonly workspace!: WorkspaceService;

    onSessionStarting(): Disposable {
        const toDispose = new DisposableCollection();
        const publish = (editor: EditorWidget | undefined): void => {
            this.sessions.updateOwnStatus({ [StatusKeys.activeDocument]: editor ? this.describe(editor) : undefined });
        };
        toDispose.push(this.editors.onCurrentEditorChanged(publish));
        publish(this.editors.currentEditor);
        return toDispose;
    }

    protected describe(editor: EditorWidget): string {
        const uri = editor.editor.uri;
        const root = this.workspace.getWorkspaceRootUri(uri);
        const relative = root?.relative(uri)?.toString();
        return relative && relative.length > 0 ? relative : uri.path.base;
    }
}

import type { UndoRedoHandler } from '@theia/core/lib/browser/undo-redo-handler';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ICodeEditorService } from '@theia/monaco-editor-core/esm/vs/editor/browser/services/codeEditorService';
import { StandaloneServices } from '@theia/monaco-editor-core/esm/vs/editor/standalone/browser/standaloneServices';
import type { ICodeEditor } from '@theia/monaco-editor-core/esm/vs/editor/browser/editorBrowser';
import { ENSEMBLE_SCHEME, parseEnsembleUri } from '../workspace/ensemble-uri';
import { GuestEditorSync } from './guest/guest-editor-sync';
import { HostEditorSync } from './host/host-editor-sync';

/** A shared document whose undo and redo touch only this user's own edits (a guest's or the host's). */
export interface OwnEditHistory {
    undo(): boolean;
    redo(): boolean;
}

/**
 * Undo and redo in an editor of a shared document undo the user's own edits
 * only (the OT core's UndoManager, transformed past everyone else's),
 * instead of Monaco's stack, which knows nothing of remote edits: on a
 * guest for its `ensemble:` documents, on the host for its files that
 * guests have open. Ahead of Theia's Monaco handlers (priority 10000).
 *
 * When the shared history is empty nothing happens: Monaco's older entries
 * were recorded before guests edited the text and would land in the wrong
 * place now.
 */
@injectable()
export class SharedUndoRedoHandler implements UndoRedoHandler<OwnEditHistory> {
    readonly priority = 20_000;

    @inject(GuestEditorSync) protected readonly sync!: GuestEditorSync;
    @inject(HostEditorSync) protected readonly hostSync!: HostEditorSync;

    select(): OwnEditHistory | undefined {
        const editor: ICodeEditor | null = StandaloneServices.get(ICodeEditorService).getFocusedCodeEditor();
        const model = editor?.hasTextFocus() ? editor.getModel() : null;
        if (!model) {
            return undefined;
        }
        if (model.uri.scheme !== ENSEMBLE_SCHEME) {
            return this.hostDocumentOf(model);
        }
        const target = parseEnsembleUri(new URI(model.uri.toString()));
        return target && this.sync.find(target);
    }

    undo(document: OwnEditHistory): void {
        document.undo();
    }

    redo(document: OwnEditHistory): void {
        document.redo();
    }

    /** Compared by identity only: the editor's internal model type and the API's TextModel are the same object. */
    protected hostDocumentOf(model: object): OwnEditHistory | undefined {
        for (const document of this.hostSync.documents?.values() ?? []) {
            if ((document.model as object) === model) {
                return document;
            }
        }
        return undefined;
    }
}

import type { UndoRedoHandler } from '@theia/core/lib/browser/undo-redo-handler';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ICodeEditorService } from '@theia/monaco-editor-core/esm/vs/editor/browser/services/codeEditorService';
import { StandaloneServices } from '@theia/monaco-editor-core/esm/vs/editor/standalone/browser/standaloneServices';
import type { ICodeEditor } from '@theia/monaco-editor-core/esm/vs/editor/browser/editorBrowser';
import { ENSEMBLE_SCHEME, parseEnsembleUri } from '../workspace/ensemble-uri';
import type { GuestDocument } from './guest/guest-document';
import { GuestEditorSync } from './guest/guest-editor-sync';

/**
 * Undo and redo in a guest's editor of a shared document undo the guest's
 * own edits only (the OT core's UndoManager, transformed past everyone
 * else's), instead of Monaco's stack, which knows nothing of remote edits.
 * Ahead of Theia's Monaco handlers (priority 10000).
 */
@injectable()
export class SharedUndoRedoHandler implements UndoRedoHandler<GuestDocument> {
    readonly priority = 20_000;

    @inject(GuestEditorSync) protected readonly sync!: GuestEditorSync;

    select(): GuestDocument | undefined {
        const editor: ICodeEditor | null = StandaloneServices.get(ICodeEditorService).getFocusedCodeEditor();
        const uri = editor?.hasTextFocus() ? editor.getModel()?.uri : undefined;
        if (!uri || uri.scheme !== ENSEMBLE_SCHEME) {
            return undefined;
        }
        const target = parseEnsembleUri(new URI(uri.toString()));
        return target && this.sync.find(target);
    }

    undo(document: GuestDocument): void {
        document.undo();
    }

    redo(document: GuestDocument): void {
        document.redo();
    }
}

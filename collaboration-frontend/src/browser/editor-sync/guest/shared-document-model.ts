import { MonacoEditorModel } from '@theia/monaco/lib/browser/monaco-editor-model';
import type { SingleEdit } from '../text-model';

/**
 * The Monaco editor model of a guest's shared document. Remote operations
 * are applied without marking the document dirty (the guest did not change
 * it; the host's copy has it already) and without joining the pending
 * content changes of the next save; the text never reloads from the
 * resource, since operations keep it current.
 */
export class SharedDocumentModel extends MonacoEditorModel {
    applyRemoteEdits(edits: SingleEdit[]): void {
        this.updateModel(() => this.model.applyEdits(edits), { ignoreDirty: true, ignoreContentChanges: true });
    }

    override async sync(): Promise<void> {
        // The text is kept current by operations: nothing to reload.
    }
}

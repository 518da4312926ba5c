import type * as monaco from '@theia/monaco-editor-core';
import type { FileEdits } from './host-language-providers';

/** A host model opened to apply edits to. */
export interface EditableModel {
    readonly model: monaco.editor.ITextModel;
    /** Unsaved changes before the edits? */
    readonly dirty: boolean;
    save(): Promise<void>;
    release(): void;
}

/** Files and edits at most per refactoring a guest asks for. */
export const MAX_EDITED_FILES = 500;
export const MAX_EDITS = 50_000;

/**
 * Applies a refactoring's or formatter's edits to the host's own models:
 * from there they reach every peer through editor sync, on whatever
 * revision each has (never text edits computed on a stale revision shipped
 * to a guest). All files are checked before any is changed; a file that was
 * saved before is saved again afterwards (as VS Code's
 * `files.refactoring.autoSave` does), so that no change is left unsaved in
 * a model nobody has open.
 */
export async function applyFileEdits(files: readonly FileEdits[], open: (uri: monaco.Uri) => Promise<EditableModel>): Promise<void> {
    const edits = files.reduce((sum, file) => sum + file.edits.length, 0);
    if (files.length > MAX_EDITED_FILES || edits > MAX_EDITS) {
        throw new Error(`The change is too big for a guest to make (${files.length} files, ${edits} edits): ask the host to make it.`);
    }
    const opened: { file: FileEdits; editable: EditableModel }[] = [];
    try {
        for (const file of files) {
            opened.push({ file, editable: await open(file.uri) });
        }
        for (const { file, editable } of opened) {
            if (file.versionId !== undefined && editable.model.getVersionId() !== file.versionId) {
                throw new Error(`${file.uri.path.split('/').pop()} changed while the host computed the change: try again.`);
            }
        }
        for (const { file, editable } of opened) {
            editable.model.pushStackElement();
            editable.model.pushEditOperations([], file.edits.map(({ range, text }) => ({ range, text })), () => null);
            editable.model.pushStackElement();
        }
        await Promise.all(opened.filter(({ editable }) => !editable.dirty).map(({ editable }) => editable.save()));
    } finally {
        opened.forEach(({ editable }) => editable.release());
    }
}

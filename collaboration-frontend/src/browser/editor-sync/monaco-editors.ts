import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import { inject, injectable } from '@theia/core/shared/inversify';
import { MonacoEditor } from '@theia/monaco/lib/browser/monaco-editor';
import type * as monaco from '@theia/monaco-editor-core';
import type { TextModel } from './text-model';

/** The code editors of this window's editor widgets that show a model (a file may be open in several splits). */
@injectable()
export class MonacoEditors {
    @inject(EditorManager) protected readonly editorManager!: EditorManager;

    showing(model: TextModel): monaco.editor.ICodeEditor[] {
        const editors: monaco.editor.ICodeEditor[] = [];
        for (const widget of this.editorManager.all) {
            const editor = widget.editor;
            if (editor instanceof MonacoEditor && editor.getControl().getModel() === model) {
                editors.push(editor.getControl());
            }
        }
        return editors;
    }
}

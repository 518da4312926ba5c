import type * as monaco from '@theia/monaco-editor-core';

/**
 * The Monaco text model as editor sync uses it. A type only: the binding
 * never loads Monaco itself, so its logic runs against real Monaco models in
 * unit tests too (loaded there as an ES module).
 */
export type TextModel = monaco.editor.ITextModel;
export type ContentChange = monaco.editor.IModelContentChange;
export type ContentChangedEvent = monaco.editor.IModelContentChangedEvent;
export type SingleEdit = monaco.editor.IIdentifiedSingleEditOperation;
export type Range = monaco.IRange;

/** What the binding needs of an editor showing a model: its selections, to keep them in place when others edit. */
export interface SelectionHolder {
    getModel(): TextModel | null;
    getSelections(): monaco.Selection[] | null;
    setSelections(selections: readonly monaco.ISelection[], source?: string): void;
}

/** Source name of the selection changes editor sync makes, so that listeners can tell them from the user's. */
export const EDITOR_SYNC_SOURCE = 'ensemble.editorSync';

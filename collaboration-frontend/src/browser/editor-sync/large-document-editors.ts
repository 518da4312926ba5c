import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { EditorManager } from '@theia/editor/lib/browser/editor-manager';
import { EditorPreferences } from '@theia/editor/lib/common/editor-preferences';
import { MonacoEditor } from '@theia/monaco/lib/browser/monaco-editor';
import type * as monaco from '@theia/monaco-editor-core';
import { MonacoEditors } from './monaco-editors';
import type { TextModel } from './text-model';

/** A shared document counts as large from this many UTF-16 code units on (or LARGE_DOCUMENT_LINES lines). */
export const LARGE_DOCUMENT_CHARS = 2 * 1024 * 1024;
export const LARGE_DOCUMENT_LINES = 50_000;

/**
 * What an editor of a large shared document turns off: the features that
 * recompute over the whole model after every edit or caret move. Monaco only
 * drops them by itself above 20 MB / 300k lines (`isTooLargeForTokenization`,
 * decided once at model creation); in between, bracket matching falls back
 * from its incremental tree (built up to 5M characters only) to scanning
 * the text from the caret, and indentation folding recomputes every range,
 * which made every keystroke in a 10 MB document (130k lines) cost tens to
 * hundreds of milliseconds on both sides. These are the features VS Code
 * turns off for large files, plus suggestions while typing (word-based
 * ones make the editor worker scan every word of the model per request).
 */
export const LARGE_DOCUMENT_EDITOR_OPTIONS: Readonly<monaco.editor.IEditorOptions> = {
    matchBrackets: 'never',
    bracketPairColorization: { enabled: false },
    guides: { bracketPairs: false, bracketPairsHorizontal: false, highlightActiveBracketPair: false, indentation: false, highlightActiveIndentation: false },
    folding: false,
    foldingHighlight: false,
    occurrencesHighlight: 'off',
    selectionHighlight: false,
    renderValidationDecorations: 'off',
    stickyScroll: { enabled: false },
    codeLens: false,
    links: false,
    colorDecorators: false,
    quickSuggestions: false,
    suggestOnTriggerCharacters: false,
    unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false }
};

export function isLargeDocument(model: TextModel): boolean {
    return model.getValueLength() >= LARGE_DOCUMENT_CHARS || model.getLineCount() >= LARGE_DOCUMENT_LINES;
}

/** The values of `options`' keys (one level into nested options) as they are in `raw`: what puts them back. */
export function optionsToRestore(raw: monaco.editor.IEditorOptions, options: monaco.editor.IEditorOptions): monaco.editor.IEditorOptions {
    const restore: Record<string, unknown> = {};
    const rawValues = raw as Record<string, unknown>;
    for (const [key, value] of Object.entries(options)) {
        const original = rawValues[key];
        if (value !== null && typeof value === 'object') {
            const nested: Record<string, unknown> = {};
            for (const inner of Object.keys(value)) {
                nested[inner] = original !== null && typeof original === 'object' ? (original as Record<string, unknown>)[inner] : undefined;
            }
            restore[key] = nested;
        } else {
            // undefined makes Monaco fall back to its default.
            restore[key] = original;
        }
    }
    return restore as monaco.editor.IEditorOptions;
}

/**
 * Gives the editors of large shared documents the options above while the
 * document is shared (guests' `ensemble:` models; the host's models while a
 * guest has them open), and puts the user's options back afterwards. The
 * size is checked when tracking starts, when an editor opens, and after
 * edits (cheap: length and line count are O(1) in Monaco), so a document
 * that grows large on the way gets them too.
 */
@injectable()
export class LargeDocumentEditors implements Disposable {
    @inject(EditorManager) protected readonly editorManager!: EditorManager;
    @inject(EditorPreferences) protected readonly preferences!: EditorPreferences;
    @inject(MonacoEditors) protected readonly editors!: MonacoEditors;

    /** Tracked models: how many users track each, and whether it was large when last checked. */
    private readonly tracked = new Map<TextModel, { count: number; large: boolean; readonly toDispose: DisposableCollection }>();
    /** Editors given the options, with what puts theirs back. */
    private readonly adjusted = new Map<monaco.editor.ICodeEditor, monaco.editor.IEditorOptions>();
    private readonly toDispose = new DisposableCollection();

    @postConstruct()
    protected init(): void {
        this.toDispose.push(this.editorManager.onCreated(widget => {
            const editor = widget.editor;
            if (editor instanceof MonacoEditor) {
                this.refresh(editor.getControl().getModel());
            }
        }));
        // Theia re-applies a changed editor preference to every editor: apply ours again after it.
        this.toDispose.push(this.preferences.onPreferenceChanged(() => setTimeout(() => this.reapply(), 0)));
    }

    /** Large-document options for `model`'s editors until the returned Disposable is disposed. */
    track(model: TextModel): Disposable {
        let entry = this.tracked.get(model);
        if (!entry) {
            const toDispose = new DisposableCollection();
            entry = { count: 0, large: false, toDispose };
            this.tracked.set(model, entry);
            toDispose.push(model.onDidChangeContent(() => this.refresh(model)));
            toDispose.push(model.onWillDispose(() => this.untrack(model, true)));
        }
        entry.count++;
        this.refresh(model);
        let disposed = false;
        return Disposable.create(() => {
            if (!disposed) {
                disposed = true;
                this.untrack(model, false);
            }
        });
    }

    /** Whether `model` is tracked and large (its editors have the options). */
    isLimited(model: TextModel): boolean {
        return this.tracked.get(model)?.large ?? false;
    }

    dispose(): void {
        this.toDispose.dispose();
        for (const model of [...this.tracked.keys()]) {
            this.untrack(model, true);
        }
    }

    private untrack(model: TextModel, all: boolean): void {
        const entry = this.tracked.get(model);
        if (!entry || (--entry.count > 0 && !all)) {
            return;
        }
        this.tracked.delete(model);
        entry.toDispose.dispose();
        for (const [editor, restore] of [...this.adjusted]) {
            if (editor.getModel() === model || editor.getModel() === null) {
                this.adjusted.delete(editor);
                if (editor.getModel() === model && !model.isDisposed()) {
                    editor.updateOptions(restore);
                }
            }
        }
    }

    private refresh(model: TextModel | null): void {
        const entry = model && this.tracked.get(model);
        if (!model || !entry) {
            return;
        }
        const large = isLargeDocument(model);
        const editors = this.editors.showing(model);
        if (large === entry.large && editors.every(editor => this.adjusted.has(editor) === large)) {
            return;
        }
        entry.large = large;
        for (const editor of editors) {
            const restore = this.adjusted.get(editor);
            if (large && !restore) {
                this.adjusted.set(editor, optionsToRestore(editor.getRawOptions(), LARGE_DOCUMENT_EDITOR_OPTIONS));
                editor.updateOptions(LARGE_DOCUMENT_EDITOR_OPTIONS);
            } else if (!large && restore) {
                this.adjusted.delete(editor);
                editor.updateOptions(restore);
            }
        }
    }

    private reapply(): void {
        for (const [editor] of this.adjusted) {
            if (editor.getModel() === null) {
                this.adjusted.delete(editor);
            } else {
                editor.updateOptions(LARGE_DOCUMENT_EDITOR_OPTIONS);
            }
        }
    }
}

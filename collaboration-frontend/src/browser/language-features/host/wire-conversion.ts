import type * as monaco from '@theia/monaco-editor-core';
import { MAX_LABEL_CHARS, MAX_MARKDOWN_CHARS, MAX_SYMBOLS, type LineRange, type OffsetRange, type WireCompletionItem, type WireSymbol } from '../language-messages';
import type { FileEdits } from './host-language-providers';

/**
 * The host's provider results as plain, bounded JSON for the wire: ranges
 * in the asking document as offsets, elsewhere as line/column ranges;
 * strings clipped, lists cut to a character budget.
 */

type Model = monaco.editor.ITextModel;

/** Character budget of one answer's strings (the server refuses messages over 1 MiB; JSON adds quotes and escapes). */
export const ANSWER_BUDGET_CHARS = 512 * 1024;

/** The first items whose JSON fits in `budget` characters: an answer never comes near the server's message size limit. */
export function withinBudget<T>(items: readonly T[], budget = ANSWER_BUDGET_CHARS): T[] {
    const kept: T[] = [];
    let used = 0;
    for (const item of items) {
        used += JSON.stringify(item).length + 1;
        if (used > budget) {
            break;
        }
        kept.push(item);
    }
    return kept;
}

/** A workspace edit's text edits by file; edits that create, rename or delete files are refused. */
export function fileEditsOf(edit: monaco.languages.WorkspaceEdit): FileEdits[] | { rejected: string } {
    const byFile = new Map<string, { uri: monaco.Uri; versionId?: number; edits: monaco.languages.TextEdit[] }>();
    for (const part of edit.edits) {
        if (!('textEdit' in part)) {
            return { rejected: 'This change also creates, renames or deletes files, which guests cannot do yet: ask the host to make it.' };
        }
        const key = part.resource.toString();
        const file = byFile.get(key) ?? { uri: part.resource, versionId: part.versionId, edits: [] };
        file.edits.push(part.textEdit);
        byFile.set(key, file);
    }
    return [...byFile.values()];
}

export function completionToWire(model: Model, item: monaco.languages.CompletionItem): WireCompletionItem {
    const label = typeof item.label === 'string'
        ? clip(item.label, MAX_LABEL_CHARS)
        : stripUndefined({ label: clip(item.label.label, MAX_LABEL_CHARS), detail: item.label.detail && clip(item.label.detail, MAX_LABEL_CHARS), description: item.label.description && clip(item.label.description, MAX_LABEL_CHARS) });
    const range = item.range && ('insert' in item.range
        ? { insert: offsetRange(model, item.range.insert), replace: offsetRange(model, item.range.replace) }
        : { insert: offsetRange(model, item.range), replace: offsetRange(model, item.range) });
    return stripUndefined({
        label,
        kind: smallInt(item.kind) ?? 0,
        detail: item.detail && clip(item.detail, MAX_LABEL_CHARS),
        documentation: documentationToWire(item.documentation),
        sortText: item.sortText && clip(item.sortText, MAX_LABEL_CHARS),
        filterText: item.filterText && clip(item.filterText, MAX_LABEL_CHARS),
        insertText: clip(item.insertText, MAX_MARKDOWN_CHARS),
        insertTextRules: smallInt(item.insertTextRules),
        preselect: item.preselect,
        commitCharacters: item.commitCharacters?.filter(c => c.length <= 8).slice(0, 32),
        tags: item.tags?.map(tag => smallInt(tag) ?? 0).slice(0, 8),
        range
    });
}

export function documentationToWire(documentation: string | monaco.IMarkdownString | undefined): string | { value: string } | undefined {
    if (documentation === undefined) {
        return undefined;
    }
    return typeof documentation === 'string' ? clip(documentation, MAX_MARKDOWN_CHARS) : { value: clip(documentation.value, MAX_MARKDOWN_CHARS) };
}

export function flattenSymbols(roots: readonly monaco.languages.DocumentSymbol[]): WireSymbol[] {
    const symbols: WireSymbol[] = [];
    const visit = (symbol: monaco.languages.DocumentSymbol, parent: number | undefined, depth: number): void => {
        if (symbols.length >= MAX_SYMBOLS) {
            return;
        }
        const index = symbols.length;
        symbols.push(stripUndefined({
            name: clip(symbol.name, MAX_LABEL_CHARS), detail: clip(symbol.detail ?? '', MAX_LABEL_CHARS), kind: smallInt(symbol.kind) ?? 0,
            range: lineRange(symbol.range), selectionRange: lineRange(symbol.selectionRange), parent
        }));
        if (depth < 32) {
            symbol.children?.forEach(child => visit(child, index, depth + 1));
        }
    };
    roots.forEach(root => visit(root, undefined, 0));
    return symbols;
}

export function offsetRange(model: Model, range: monaco.IRange): OffsetRange {
    const start = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
    const end = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
    return { start: Math.min(start, end), end: Math.max(start, end) };
}

export function lineRange(range: monaco.IRange): LineRange {
    const at = (n: number): number => Math.min(Math.max(Math.floor(n) || 1, 1), 100_000_000);
    return { startLineNumber: at(range.startLineNumber), startColumn: at(range.startColumn), endLineNumber: at(range.endLineNumber), endColumn: at(range.endColumn) };
}

export function clip(text: string, max: number): string {
    return text.length <= max ? text : text.slice(0, max);
}

export function smallInt(value: number | undefined): number | undefined {
    return value === undefined || !Number.isInteger(value) || value < 0 || value > 1000 ? undefined : value;
}

/** TypeBox's strict objects take no `undefined` values: leave such keys out. */
export function stripUndefined<T extends object>(value: T): T {
    for (const key of Object.keys(value) as (keyof T)[]) {
        if (value[key] === undefined) {
            delete value[key];
        }
    }
    return value;
}

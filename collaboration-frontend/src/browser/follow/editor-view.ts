import type * as monaco from '@theia/monaco-editor-core';
import type { LeaderLocation } from './leader-location';

/** Where an editor is: its caret's line and the first line it shows (both 1-based; the top line only once it has a layout). */
export interface EditorView {
    readonly line: number;
    readonly topLine?: number;
}

/** The editor's caret line and first visible line (partly scrolled out or not), as a leader publishes them. */
export function editorView(editor: monaco.editor.ICodeEditor): EditorView {
    const line = editor.getPosition()?.lineNumber ?? 1;
    const topLine = editor.getVisibleRanges()[0]?.startLineNumber;
    return topLine === undefined ? { line } : { line, topLine };
}

/**
 * Shows the leader's view in a follower's editor: the caret on the
 * leader's line, and the leader's first visible line at the top (the
 * editor stops at the end of its scroll range when the line cannot be on
 * top). The caret is not brought into view then: a leader that scrolls
 * away from its caret is followed to where it looks. Without a top line
 * (a leader without a layout) the caret line is centred.
 */
export function showLeaderView(editor: monaco.editor.ICodeEditor, location: Pick<LeaderLocation, 'line' | 'topLine'>): void {
    const model = editor.getModel();
    const lastLine = model?.getLineCount() ?? 1;
    const line = Math.min(location.line, lastLine);
    editor.setPosition({ lineNumber: line, column: 1 });
    if (location.topLine === undefined) {
        editor.revealLineInCenter(line);
    } else {
        editor.setScrollTop(editor.getTopForLineNumber(Math.min(location.topLine, lastLine)));
    }
}

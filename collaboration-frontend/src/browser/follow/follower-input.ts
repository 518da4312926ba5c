import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type * as monaco from '@theia/monaco-editor-core';

/**
 * Calls `onAct` when the user acts in a follower's editor: a key, a click
 * (text, gutter or scrollbar), or a scroll of the wheel or touchpad. Only
 * input events count: follow mode's own moves and scrolls, and Monaco
 * keeping the view steady while remote edits come in, fire none of them.
 */
export function watchFollowerInput(editor: monaco.editor.ICodeEditor, onAct: () => void): Disposable {
    const toDispose = new DisposableCollection(
        editor.onKeyDown(() => onAct()),
        editor.onMouseDown(() => onAct())
    );
    const node = editor.getDomNode();
    if (node) {
        // Capture: Monaco's scrollable element handles (and stops) wheel events below the editor's node.
        const listener = (): void => onAct();
        for (const type of ['wheel', 'mousedown', 'touchstart'] as const) {
            node.addEventListener(type, listener, { capture: true, passive: true });
            toDispose.push(Disposable.create(() => node.removeEventListener(type, listener, { capture: true })));
        }
    }
    return toDispose;
}

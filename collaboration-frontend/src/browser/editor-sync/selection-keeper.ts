import { transformSelection, type TextOperation } from '@ensemble/collaboration-common';
import { EDITOR_SYNC_SOURCE, type SelectionHolder, type TextModel } from './text-model';

/** Offsets of every selection of every editor on a model, taken before a remote edit. */
export interface KeptSelections {
    readonly entries: ReadonlyArray<{ readonly editor: SelectionHolder; readonly selections: ReadonlyArray<readonly [number, number]> }>;
}

/**
 * Keeps the local carets and selections where they belong when a remote
 * edit lands: Monaco would move a caret sitting exactly where someone else
 * inserts to after the insert (as if the user had typed it); the OT rule is
 * that a concurrent insert at the caret leaves it before. So the selections
 * are taken as offsets before the edit, transformed by the operation, and
 * put back after it.
 */
export function keepSelections(model: TextModel, editors: readonly SelectionHolder[]): KeptSelections {
    const entries: Array<{ editor: SelectionHolder; selections: Array<readonly [number, number]> }> = [];
    for (const editor of editors) {
        const selections = editor.getModel() === model ? editor.getSelections() : null;
        if (selections && selections.length > 0) {
            entries.push({
                editor, selections: selections.map(s => [
                    model.getOffsetAt({ lineNumber: s.selectionStartLineNumber, column: s.selectionStartColumn }),
                    model.getOffsetAt({ lineNumber: s.positionLineNumber, column: s.positionColumn })
                ] as const)
            });
        }
    }
    return { entries };
}

/** Puts the kept selections back, moved past `op` (already applied to `model`). */
export function restoreSelections(model: TextModel, kept: KeptSelections, op: TextOperation): void {
    for (const { editor, selections } of kept.entries) {
        if (editor.getModel() !== model) {
            continue;
        }
        editor.setSelections(selections.map(selection => {
            const [anchor, head] = transformSelection(selection, op, false);
            const start = model.getPositionAt(anchor);
            const position = model.getPositionAt(head);
            return {
                selectionStartLineNumber: start.lineNumber, selectionStartColumn: start.column,
                positionLineNumber: position.lineNumber, positionColumn: position.column
            };
        }), EDITOR_SYNC_SOURCE);
    }
}

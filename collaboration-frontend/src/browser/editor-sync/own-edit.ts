import type { TextOperation } from '@ensemble/collaboration-common';
import { opToEdits } from './model-edits';
import type { SelectionHolder, TextModel } from './text-model';

/**
 * Applies an undo or redo step of the user's own edits to the model as a
 * plain edit (it is this user's: it marks the file dirty and becomes an
 * operation the way typing does), outside Monaco's undo stack, and puts the
 * caret after the last change as Monaco's own undo does.
 */
export function applyOwnStep(op: TextOperation, model: TextModel, editors: readonly SelectionHolder[]): void {
    const edits = opToEdits(op, model);
    // Closes the user's current typing group, so a later Monaco undo never merges it with this step.
    model.pushStackElement();
    model.applyEdits(edits);
    const last = edits[edits.length - 1];
    if (!last) {
        return;
    }
    const end = model.getOffsetAt({ lineNumber: last.range.startLineNumber, column: last.range.startColumn }) + (last.text?.length ?? 0);
    const position = model.getPositionAt(end);
    for (const editor of editors) {
        if (editor.getModel() === model) {
            editor.setSelections([{ selectionStartLineNumber: position.lineNumber, selectionStartColumn: position.column, positionLineNumber: position.lineNumber, positionColumn: position.column }]);
        }
    }
}

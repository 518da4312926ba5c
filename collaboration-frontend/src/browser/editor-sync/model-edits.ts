import { appendDelete, appendInsert, appendRetain, compose, deleteLength, trim, type TextOperation } from '@ensemble/collaboration-common';
import type { ContentChange, SingleEdit, TextModel } from './text-model';

/**
 * One operation for one Monaco content-change event. An event holds several
 * changes (multi-cursor typing, find/replace all, formatting); Monaco lists
 * them from the last to the first, each with offsets into the text as it was
 * before the event, which is the same as applying them one after the other
 * in the listed order. Both readings are honoured: the common, descending
 * case is built in one pass, anything else is composed change by change.
 */
export function changesToOp(changes: readonly ContentChange[], lengthBefore: number): TextOperation {
    if (isDescendingAndDisjoint(changes)) {
        const op: TextOperation = [];
        let offset = 0;
        for (let i = changes.length - 1; i >= 0; i--) {
            const change = changes[i];
            appendRetain(op, change.rangeOffset - offset);
            appendDelete(op, change.rangeLength);
            appendInsert(op, change.text);
            offset = change.rangeOffset + change.rangeLength;
        }
        if (offset > lengthBefore) {
            throw new RangeError(`a content change ends at ${offset}, after the end of the document (${lengthBefore})`);
        }
        return trim(op);
    }
    let op: TextOperation = [];
    let length = lengthBefore;
    for (const change of changes) {
        const step: TextOperation = [];
        appendRetain(step, change.rangeOffset);
        appendDelete(step, change.rangeLength);
        appendInsert(step, change.text);
        op = compose(op, trim(step));
        length += change.text.length - change.rangeLength;
    }
    if (length < 0) {
        throw new RangeError('the content changes delete more than the document holds');
    }
    return op;
}

function isDescendingAndDisjoint(changes: readonly ContentChange[]): boolean {
    for (let i = 1; i < changes.length; i++) {
        if (changes[i].rangeOffset + changes[i].rangeLength > changes[i - 1].rangeOffset) {
            return false;
        }
    }
    return true;
}

/**
 * The Monaco edits that apply `op` to `model`, all with ranges in the
 * model's current text (Monaco applies one batch of edits simultaneously).
 * A delete and the insert right after it become one replace.
 */
export function opToEdits(op: TextOperation, model: TextModel): SingleEdit[] {
    const edits: SingleEdit[] = [];
    let offset = 0;
    for (let i = 0; i < op.length; i++) {
        const c = op[i];
        if (typeof c === 'number') {
            offset += c;
        } else if (typeof c === 'string') {
            edits.push({ range: rangeOf(model, offset, offset), text: c, forceMoveMarkers: false });
        } else {
            const end = offset + deleteLength(c);
            const next = op[i + 1];
            const text = typeof next === 'string' ? next : null;
            if (text !== null) {
                i++;
            }
            edits.push({ range: rangeOf(model, offset, end), text, forceMoveMarkers: false });
            offset = end;
        }
    }
    return edits;
}

export function rangeOf(model: TextModel, start: number, end: number): SingleEdit['range'] {
    const from = model.getPositionAt(start);
    const to = end === start ? from : model.getPositionAt(end);
    return { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column };
}

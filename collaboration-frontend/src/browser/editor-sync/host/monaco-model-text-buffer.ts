import type { TextBuffer } from '@ensemble/collaboration-common';
import { rangeOf } from '../model-edits';
import type { TextModel } from '../text-model';

/**
 * The host's Monaco model as the OT core's TextBuffer: the document
 * authority reads and edits the very model the host's editor shows. Offsets
 * are UTF-16 code units of `model.getValue()` (line breaks in the model's
 * EOL). Edits go through `applyEdits`, which leaves the host's undo stack
 * alone; `onWillEdit`/`onDidEdit` bracket them so the binding can tell them
 * from the host's own typing.
 */
export class MonacoModelTextBuffer implements TextBuffer {
    /** Set while this buffer edits the model: content changes then are not the host's typing. */
    editing = false;

    constructor(readonly model: TextModel) { }

    get length(): number {
        return this.model.getValueLength();
    }

    charCodeAt(offset: number): number {
        if (offset < 0 || offset >= this.length) {
            return NaN;
        }
        const position = this.model.getPositionAt(offset);
        const line = this.model.getLineContent(position.lineNumber);
        const column = position.column - 1;
        if (column < line.length) {
            return line.charCodeAt(column);
        }
        // In the line break: getPositionAt puts every offset of it at the line's end.
        const intoBreak = offset - this.model.getOffsetAt(position);
        return this.model.getEOL().charCodeAt(intoBreak);
    }

    slice(start: number, end: number): string {
        if (end <= start) {
            return '';
        }
        // Widen to whole line breaks and surrogate pairs (Monaco moves a position out of either), then cut back.
        const from = this.model.validatePosition(this.model.getPositionAt(start));
        const fromOffset = this.model.getOffsetAt(from);
        const text = this.model.getValueInRange(rangeOf(this.model, fromOffset, end + 1));
        const skip = start - fromOffset;
        return text.slice(skip, skip + end - start);
    }

    insert(offset: number, text: string): void {
        this.edit(offset, offset, text);
    }

    delete(offset: number, count: number): void {
        this.edit(offset, offset + count, null);
    }

    getText(): string {
        return this.model.getValue();
    }

    private edit(start: number, end: number, text: string | null): void {
        const wasEditing = this.editing;
        this.editing = true;
        try {
            this.model.applyEdits([{ range: rangeOf(this.model, start, end), text, forceMoveMarkers: false }]);
        } finally {
            this.editing = wasEditing;
        }
    }
}

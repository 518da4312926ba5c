import type * as Monaco from '@theia/monaco-editor-core';
import type { SelectionHolder, TextModel } from '../text-model';

/** An editor's selections over a real model, without a widget (jsdom cannot lay one out). Offsets in, offsets out. */
export class FakeEditor implements SelectionHolder {
    private selections: Monaco.Selection[];

    constructor(private readonly monaco: typeof Monaco, readonly model: TextModel) {
        this.selections = [new monaco.Selection(1, 1, 1, 1)];
    }

    getModel(): TextModel { return this.model; }
    getSelections(): Monaco.Selection[] { return this.selections; }
    setSelections(selections: readonly Monaco.ISelection[]): void {
        this.selections = selections.map(s => new this.monaco.Selection(s.selectionStartLineNumber, s.selectionStartColumn, s.positionLineNumber, s.positionColumn));
    }

    /** [anchor, head] offsets of the first selection. */
    get offsets(): [number, number] {
        const s = this.selections[0];
        return [this.model.getOffsetAt({ lineNumber: s.selectionStartLineNumber, column: s.selectionStartColumn }),
            this.model.getOffsetAt({ lineNumber: s.positionLineNumber, column: s.positionColumn })];
    }

    select(anchor: number, head = anchor): void {
        const a = this.model.getPositionAt(anchor);
        const h = this.model.getPositionAt(head);
        this.selections = [new this.monaco.Selection(a.lineNumber, a.column, h.lineNumber, h.column)];
    }
}

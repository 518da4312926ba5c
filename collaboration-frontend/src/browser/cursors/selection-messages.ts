import { defineBroadcast } from '@ensemble/collaboration-common';
import { Type } from '@sinclair/typebox';
import { DocKeySchema } from '../editor-sync/editor-sync-messages';

const strict = { additionalProperties: false } as const;
const Offset = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Most selections one peer shows (multi-cursor); more are dropped by the sender. */
export const MAX_SELECTIONS = 32;

/**
 * A peer → the document's topic: its selections (offsets in UTF-16 code
 * units) in the document at `revision` (the revision of the host's
 * authority the sender's text is based on). An empty list means the peer
 * no longer shows this document.
 */
export const SelectionChanged = defineBroadcast('editor/selection',
    Type.Object({
        doc: DocKeySchema,
        revision: Offset,
        selections: Type.Array(Type.Object({ anchor: Offset, head: Offset }, strict), { maxItems: MAX_SELECTIONS })
    }, strict));

export interface OffsetSelection {
    readonly anchor: number;
    readonly head: number;
}

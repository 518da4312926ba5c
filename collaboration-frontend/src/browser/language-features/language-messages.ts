import { defineBroadcast, defineNotification, defineRequest } from '@ensemble/collaboration-common';
import { Type, type Static } from '@sinclair/typebox';
import { SharedPathSchema } from '../../common/workspace-messages';

/**
 * The session messages of shared language features: a guest's editor on a
 * host file asks the host, which runs its own providers on its model of the
 * file. Positions inside the asking document are offsets (UTF-16 code
 * units) at a document revision, so that both sides can move them past
 * edits with the OT core; locations in other files are line/column ranges.
 * Every list and string is bounded, so no answer comes near the server's
 * message size limit.
 */

const strict = { additionalProperties: false } as const;

export const MAX_MARKDOWN_CHARS = 64 * 1024;
export const MAX_LABEL_CHARS = 4 * 1024;
export const MAX_COMPLETION_ITEMS = 1000;
export const MAX_LOCATIONS = 1000;
export const MAX_SYMBOLS = 5000;
export const MAX_HIGHLIGHTS = 2000;
/** Diagnostics per file and message length: 500 × 1 K keeps a file's markers well under the message limit. */
export const MAX_MARKERS_PER_FILE = 500;
export const MAX_MARKER_MESSAGE_CHARS = 1024;
export const MAX_SIGNATURES = 50;
export const MAX_CODE_ACTIONS = 200;

const Offset = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Revision = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Line = Type.Integer({ minimum: 1, maximum: 100_000_000 });
const Column = Type.Integer({ minimum: 1, maximum: 100_000_000 });
const Label = Type.String({ maxLength: MAX_LABEL_CHARS });
const SmallInt = Type.Integer({ minimum: 0, maximum: 1000 });

/** A place in the asking document: its revision and an offset in the text of that revision. */
export const DocumentPositionSchema = Type.Object({ target: SharedPathSchema, revision: Revision, offset: Offset }, strict);
export type DocumentPosition = Static<typeof DocumentPositionSchema>;

/** A range in the asking document, in the text of the answer's revision. */
export const OffsetRangeSchema = Type.Object({ start: Offset, end: Offset }, strict);
export type OffsetRange = Static<typeof OffsetRangeSchema>;

/** A line/column range (1-based, as Monaco's), for places in other files. */
export const LineRangeSchema = Type.Object({ startLineNumber: Line, startColumn: Column, endLineNumber: Line, endColumn: Column }, strict);
export type LineRange = Static<typeof LineRangeSchema>;

export const LocationSchema = Type.Object({ target: SharedPathSchema, range: LineRangeSchema }, strict);
export type SharedLocation = Static<typeof LocationSchema>;

/** Markdown as plain text: the host's `isTrusted` (command links) is never carried over. */
export const MarkdownSchema = Type.Object({ value: Type.String({ maxLength: MAX_MARKDOWN_CHARS }) }, strict);
const Documentation = Type.Union([Type.String({ maxLength: MAX_MARKDOWN_CHARS }), MarkdownSchema]);

/** The revision of the host's text the answer's offsets refer to; absent when the text changed while the providers ran. */
const AnswerRevision = Type.Optional(Revision);

export const HoverRequest = defineRequest('language/hover',
    Type.Object({ position: DocumentPositionSchema }, strict),
    Type.Object({
        contents: Type.Array(MarkdownSchema, { maxItems: 32 }),
        range: Type.Optional(OffsetRangeSchema),
        revision: AnswerRevision
    }, strict));

export const CompletionItemSchema = Type.Object({
    label: Type.Union([Label, Type.Object({ label: Label, detail: Type.Optional(Label), description: Type.Optional(Label) }, strict)]),
    kind: SmallInt,
    detail: Type.Optional(Label),
    documentation: Type.Optional(Documentation),
    sortText: Type.Optional(Label),
    filterText: Type.Optional(Label),
    insertText: Type.String({ maxLength: MAX_MARKDOWN_CHARS }),
    /** Monaco's CompletionItemInsertTextRule bits (snippet, keep whitespace). */
    insertTextRules: Type.Optional(SmallInt),
    preselect: Type.Optional(Type.Boolean()),
    commitCharacters: Type.Optional(Type.Array(Type.String({ maxLength: 8 }), { maxItems: 32 })),
    tags: Type.Optional(Type.Array(SmallInt, { maxItems: 8 })),
    /** Where the item inserts and what it replaces; absent: the word at the position, as Monaco does by default. */
    range: Type.Optional(Type.Object({ insert: OffsetRangeSchema, replace: OffsetRangeSchema }, strict)),
    /** Ask the host to resolve the item (documentation, detail) with `language/resolve-completion`. */
    resolveId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }))
}, strict);
export type WireCompletionItem = Static<typeof CompletionItemSchema>;

export const CompletionRequest = defineRequest('language/completion',
    Type.Object({
        position: DocumentPositionSchema,
        triggerKind: SmallInt,
        triggerCharacter: Type.Optional(Type.String({ maxLength: 8 }))
    }, strict),
    Type.Object({
        items: Type.Array(CompletionItemSchema, { maxItems: MAX_COMPLETION_ITEMS }),
        incomplete: Type.Boolean(),
        revision: AnswerRevision
    }, strict));

/** What resolving adds to a completion item. */
export const ResolveCompletionRequest = defineRequest('language/resolve-completion',
    Type.Object({ resolveId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }, strict),
    Type.Object({
        detail: Type.Optional(Label),
        documentation: Type.Optional(Documentation)
    }, strict));

const ParameterSchema = Type.Object({
    label: Type.Union([Label, Type.Tuple([Offset, Offset])]),
    documentation: Type.Optional(Documentation)
}, strict);
export const SignatureHelpRequest = defineRequest('language/signature-help',
    Type.Object({
        position: DocumentPositionSchema,
        triggerKind: SmallInt,
        triggerCharacter: Type.Optional(Type.String({ maxLength: 8 })),
        isRetrigger: Type.Boolean()
    }, strict),
    Type.Union([Type.Null(), Type.Object({
        signatures: Type.Array(Type.Object({
            label: Label,
            documentation: Type.Optional(Documentation),
            parameters: Type.Array(ParameterSchema, { maxItems: 64 }),
            activeParameter: Type.Optional(SmallInt)
        }, strict), { maxItems: MAX_SIGNATURES }),
        activeSignature: SmallInt,
        activeParameter: SmallInt
    }, strict)]));

export const LocationKindSchema = Type.Union([
    Type.Literal('definition'), Type.Literal('typeDefinition'), Type.Literal('implementation'),
    Type.Literal('declaration'), Type.Literal('references')
]);
export type LocationKind = Static<typeof LocationKindSchema>;

/** Definitions, implementations, references...: places in the shared workspace (others are left out, `outside` counts them). */
export const LocationsRequest = defineRequest('language/locations',
    Type.Object({ position: DocumentPositionSchema, kind: LocationKindSchema, includeDeclaration: Type.Optional(Type.Boolean()) }, strict),
    Type.Object({
        locations: Type.Array(LocationSchema, { maxItems: MAX_LOCATIONS }),
        outside: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
    }, strict));

export const HighlightsRequest = defineRequest('language/highlights',
    Type.Object({ position: DocumentPositionSchema }, strict),
    Type.Object({
        highlights: Type.Array(Type.Object({ range: OffsetRangeSchema, kind: SmallInt }, strict), { maxItems: MAX_HIGHLIGHTS }),
        revision: AnswerRevision
    }, strict));

/** Document symbols, flattened: each names its parent's index (tree depth and size stay bounded). */
export const SymbolSchema = Type.Object({
    name: Label,
    detail: Label,
    kind: SmallInt,
    range: LineRangeSchema,
    selectionRange: LineRangeSchema,
    parent: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SYMBOLS }))
}, strict);
export type WireSymbol = Static<typeof SymbolSchema>;
export const SymbolsRequest = defineRequest('language/symbols',
    Type.Object({ target: SharedPathSchema }, strict),
    Type.Object({ symbols: Type.Array(SymbolSchema, { maxItems: MAX_SYMBOLS }) }, strict));

/** Edits that the host applies to its own models (they reach everyone through OT): need write permission. */
const EditAnswer = Type.Object({
    applied: Type.Boolean(),
    /** Why nothing was applied, for the user. */
    message: Type.Optional(Type.String({ maxLength: 1024 }))
}, strict);
export type EditAnswer = Static<typeof EditAnswer>;

export const RenameRequest = defineRequest('language/rename',
    Type.Object({ position: DocumentPositionSchema, newName: Type.String({ minLength: 1, maxLength: 1024 }) }, strict),
    EditAnswer);

export const FormatRequest = defineRequest('language/format',
    Type.Object({
        target: SharedPathSchema,
        /** Format only this range (at `revision`); the whole document otherwise. */
        range: Type.Optional(Type.Object({ revision: Revision, start: Offset, end: Offset }, strict)),
        tabSize: Type.Integer({ minimum: 1, maximum: 32 }),
        insertSpaces: Type.Boolean()
    }, strict),
    EditAnswer);

export const CodeActionSchema = Type.Object({
    /** The handle to apply it by (`language/apply-code-action`). */
    id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    title: Label,
    kind: Type.Optional(Label),
    isPreferred: Type.Optional(Type.Boolean()),
    /** Why it cannot be applied now, if so. */
    disabled: Type.Optional(Label)
}, strict);
export type WireCodeAction = Static<typeof CodeActionSchema>;

/** The host's code actions (quick fixes, refactorings) for a range of the asking document. */
export const CodeActionsRequest = defineRequest('language/code-actions',
    Type.Object({
        target: SharedPathSchema,
        range: Type.Object({ revision: Revision, start: Offset, end: Offset }, strict),
        /** Monaco's CodeActionTriggerType: 1 invoked by the user, 2 automatic (light bulb). */
        trigger: Type.Union([Type.Literal(1), Type.Literal(2)]),
        only: Type.Optional(Label)
    }, strict),
    Type.Object({ actions: Type.Array(CodeActionSchema, { maxItems: MAX_CODE_ACTIONS }) }, strict));

/** Applies one of the code actions the host listed for this guest: its edits to the host's models, then its command on the host. */
export const ApplyCodeActionRequest = defineRequest('language/apply-code-action',
    Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }, strict),
    EditAnswer);

/** An LSP position (0-based line, UTF-16 character), as Theia's ProblemManager keeps diagnostics. */
const LspPosition = Type.Object({ line: Type.Integer({ minimum: 0, maximum: 100_000_000 }), character: Type.Integer({ minimum: 0, maximum: 100_000_000 }) }, strict);

/** A diagnostic of the host (LSP's shape, as in Theia's ProblemManager). */
export const MarkerSchema = Type.Object({
    /** LSP DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint. */
    severity: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)])),
    message: Type.String({ maxLength: MAX_MARKER_MESSAGE_CHARS }),
    source: Type.Optional(Label),
    code: Type.Optional(Type.Union([Label, Type.Integer()])),
    range: Type.Object({ start: LspPosition, end: LspPosition }, strict)
}, strict);
export type WireMarker = Static<typeof MarkerSchema>;

const FileMarkers = Type.Object({ target: SharedPathSchema, markers: Type.Array(MarkerSchema, { maxItems: MAX_MARKERS_PER_FILE }) }, strict);
export type FileMarkers = Static<typeof FileMarkers>;

/** Host → all guests: the host's diagnostics of a shared file changed (an empty list clears them). */
export const MarkersChanged = defineBroadcast('language/markers', FileMarkers);

/** Host → a guest that just joined: the diagnostics of the shared files, a file per message. */
export const MarkersSnapshot = defineNotification('language/markers-snapshot', FileMarkers);

import { defineBroadcast, defineNotification, defineRequest } from '@ensemble/collaboration-common';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SharedPathSchema } from '../../common/workspace-messages';

/**
 * The session messages of debugging. The host runs the debug sessions (its
 * adapters, its program); guests mirror each one in their own Debug view:
 * the host announces sessions and relays their DAP events, a guest's DAP
 * requests travel to the host (`debug/request`), which checks the sender's
 * permission and forwards them to its session. Source paths on the wire are
 * `ensemble:` URIs (the host maps them to and from its file paths), never a
 * host path. Breakpoints are shared both ways per file, as the file's whole
 * list, so that applying a list twice changes nothing (no echo loops).
 *
 * DAP bodies are checked for shape by the DAP types' users, not here: the
 * schemas only bound sizes (the server's message limit bounds the rest).
 */

const strict = { additionalProperties: false } as const;

/** Breakpoints per file and files at most, so one list stays far below the message limit. */
export const MAX_BREAKPOINTS_PER_FILE = 500;
export const MAX_BREAKPOINT_FILES = 1000;
/** Characters of a relayed `output` event's text; longer output is cut (and says so). */
export const MAX_RELAYED_OUTPUT_CHARS = 64 * 1024;
/** Characters of JSON of one relayed DAP body; a larger response is refused with a clear error, a larger event dropped. */
export const MAX_RELAYED_BODY_CHARS = 512 * 1024;
/** Function breakpoints and exception filters shared at most. */
export const MAX_FUNCTION_BREAKPOINTS = 500;
export const MAX_EXCEPTION_FILTERS = 64;
/** Debug sessions the host reports at most. */
export const MAX_DEBUG_SESSIONS = 64;

export const DebugSessionIdSchema = Type.String({ minLength: 1, maxLength: 128 });
/** A DAP command or event name: letters only (all of DAP's are). */
const DapName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z]+$' });
const Text = (maxLength: number) => Type.String({ maxLength });
const ThreadId = Type.Integer({ minimum: -2147483648, maximum: Number.MAX_SAFE_INTEGER });

/** A host's debug session as guests see it. */
export const DebugSessionInfoSchema = Type.Object({
    id: DebugSessionIdSchema,
    /** The session's label in the host's Debug view (its configuration name). */
    name: Text(256),
    /** The host's debug type (e.g. `node`), for display. */
    type: Text(128),
    /** The adapter's DAP capabilities, as the host's session got them. */
    capabilities: Type.Record(Type.String({ maxLength: 128 }), Type.Unknown()),
    /** Present while a thread is stopped, so that a guest attaching late sees where. */
    stopped: Type.Optional(Type.Object({ threadId: ThreadId, reason: Text(256), allThreadsStopped: Type.Optional(Type.Boolean()) }, strict))
}, strict);

export type DebugSessionInfo = Static<typeof DebugSessionInfoSchema>;

/** Host → all: a debug session started on the host. */
export const DebugSessionStarted = defineBroadcast('debug/session-started', DebugSessionInfoSchema);

/** Host → all: a debug session of the host ended. */
export const DebugSessionEnded = defineBroadcast('debug/session-ended', Type.Object({ id: DebugSessionIdSchema }, strict));

/** Host → all: a DAP event of one of the host's sessions (source paths already mapped to `ensemble:` URIs). */
export const DebugSessionEvent = defineBroadcast('debug/event', Type.Object({
    sessionId: DebugSessionIdSchema,
    event: DapName,
    body: Type.Optional(Type.Unknown())
}, strict));

/** Guest → host: the host's current debug sessions (on joining, and after a reconnect that may have missed messages). */
export const ListDebugSessions = defineRequest('debug/list-sessions',
    Type.Object({}, strict),
    Type.Object({ sessions: Type.Array(DebugSessionInfoSchema, { maxItems: MAX_DEBUG_SESSIONS }) }, strict));

/** The host's answer to a forwarded DAP request: the response's body, or why it failed. */
export const ForwardResultSchema = Type.Union([
    Type.Object({ success: Type.Literal(true), body: Type.Optional(Type.Unknown()) }, strict),
    Type.Object({
        success: Type.Literal(false),
        /** What went wrong, for the user. */
        message: Text(4096),
        /** `permission-denied` when the guest's role does not allow the command. */
        reason: Type.Optional(Type.Union([Type.Literal('permission-denied'), Type.Literal('unknown-session'), Type.Literal('failed')]))
    }, strict)
]);
export type ForwardResult = Static<typeof ForwardResultSchema>;

/** Guest → host: a DAP request for one of the host's sessions. The host checks the sender's permission for `command`. */
export const ForwardDebugRequest = defineRequest('debug/request',
    Type.Object({ sessionId: DebugSessionIdSchema, command: DapName, arguments: Type.Optional(Type.Unknown()) }, strict),
    ForwardResultSchema);

/** The largest line or column number peers exchange. */
export const MAX_POSITION = 100_000_000;
/** A 1-based line or column number, as in DAP. */
const Position = Type.Integer({ minimum: 1, maximum: MAX_POSITION });

/** One source breakpoint as peers share it (lines and columns 1-based, as in DAP). */
export const SharedBreakpointSchema = Type.Object({
    line: Position,
    column: Type.Optional(Position),
    enabled: Type.Boolean(),
    condition: Type.Optional(Text(4096)),
    hitCondition: Type.Optional(Text(1024)),
    logMessage: Type.Optional(Text(4096))
}, strict);

/**
 * The host's count of its breakpoint changes, which grows with each change it
 * broadcasts: a guest applies a list only if it is newer than the one it
 * applied last for the same file (or list), as the answer to its request for
 * everything can arrive after a newer broadcast.
 */
const HostVersionSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const FileBreakpointsSchema = Type.Object({
    target: SharedPathSchema,
    breakpoints: Type.Array(SharedBreakpointSchema, { maxItems: MAX_BREAKPOINTS_PER_FILE })
}, strict);

export type SharedBreakpoint = Static<typeof SharedBreakpointSchema>;
export type FileBreakpoints = Static<typeof FileBreakpointsSchema>;

/** Host → all: the whole list of breakpoints of one shared file, after a change (the host's or a guest's). */
export const BreakpointsChanged = defineBroadcast('debug/breakpoints-changed', Type.Object({ ...FileBreakpointsSchema.properties, version: HostVersionSchema }, strict));

/**
 * Guest → host: the guest changed a file's breakpoints (any guest may, as in
 * Live Share), from `base` (the host's list it last had) to `breakpoints`.
 * The host makes the same changes to the file's list (so that what others
 * changed in the file meanwhile stays) and broadcasts the result, so that
 * every peer ends with the host's list.
 */
export const SetBreakpoints = defineNotification('debug/set-breakpoints', Type.Object({
    ...FileBreakpointsSchema.properties,
    base: Type.Array(SharedBreakpointSchema, { maxItems: MAX_BREAKPOINTS_PER_FILE })
}, strict));

/** Guest → host: the breakpoints of every shared file (on joining). */
export const ListBreakpoints = defineRequest('debug/list-breakpoints',
    Type.Object({}, strict),
    Type.Object({ files: Type.Array(FileBreakpointsSchema, { maxItems: MAX_BREAKPOINT_FILES }), version: HostVersionSchema }, strict));

/** One function breakpoint as peers share it: the function's name is its identity (Theia allows one breakpoint per name). */
export const SharedFunctionBreakpointSchema = Type.Object({
    name: Type.String({ minLength: 1, maxLength: 1024 }),
    enabled: Type.Boolean(),
    condition: Type.Optional(Text(4096)),
    hitCondition: Type.Optional(Text(1024))
}, strict);

/** The setting of one exception filter of the host's debug adapters ("Uncaught Exceptions" and the like), by the filter's id. */
export const SharedExceptionFilterSchema = Type.Object({
    filter: Type.String({ minLength: 1, maxLength: 128 }),
    enabled: Type.Boolean(),
    condition: Type.Optional(Text(4096))
}, strict);

export type SharedFunctionBreakpoint = Static<typeof SharedFunctionBreakpointSchema>;
export type SharedExceptionFilter = Static<typeof SharedExceptionFilterSchema>;

const FunctionBreakpointList = Type.Array(SharedFunctionBreakpointSchema, { maxItems: MAX_FUNCTION_BREAKPOINTS });
const ExceptionFilterList = Type.Array(SharedExceptionFilterSchema, { maxItems: MAX_EXCEPTION_FILTERS });
/** The host's list as of its version (see HostVersionSchema). */
const versioned = <T extends TSchema>(list: T) => Type.Object({ list, version: HostVersionSchema }, strict);

/**
 * Host → all: the whole list of function breakpoints after a change; guest →
 * host: a guest changed it, from `base` (the host's list it last had) to
 * `list`. The host makes the same changes to its list (so that what the
 * host or another guest changed meanwhile, say while this guest was
 * offline, stays) and broadcasts the result, so that all peers end with one
 * list.
 */
export const FunctionBreakpointsChanged = defineBroadcast('debug/function-breakpoints-changed', versioned(FunctionBreakpointList));
export const SetFunctionBreakpoints = defineNotification('debug/set-function-breakpoints', Type.Object({ list: FunctionBreakpointList, base: FunctionBreakpointList }, strict));

/** The same for the exception filters' settings (on, off, condition), for the filters the host's adapters offer. */
export const ExceptionFiltersChanged = defineBroadcast('debug/exception-filters-changed', versioned(ExceptionFilterList));
export const SetExceptionFilters = defineNotification('debug/set-exception-filters', Type.Object({ list: ExceptionFilterList, base: ExceptionFilterList }, strict));

/** Guest → host: the function breakpoints and exception filter settings (on joining). */
export const ListGlobalBreakpoints = defineRequest('debug/list-global-breakpoints',
    Type.Object({}, strict),
    Type.Object({ functions: versioned(FunctionBreakpointList), exceptions: versioned(ExceptionFilterList) }, strict));

/**
 * What one of the host's debug sessions made of a source breakpoint: its
 * adapter verified it (perhaps binding it to another line, as on a blank
 * line) or not (with its reason). `line` and `column` are the breakpoint's
 * position as peers share it, by which a guest finds its own.
 */
export const BreakpointVerdictSchema = Type.Object({
    line: Position,
    column: Type.Optional(Position),
    verified: Type.Boolean(),
    boundLine: Type.Optional(Position),
    boundColumn: Type.Optional(Position),
    message: Type.Optional(Text(1024))
}, strict);
export type BreakpointVerdict = Static<typeof BreakpointVerdictSchema>;

/** The verdicts on one file's breakpoints; `path` names the file as DAP sources do for guests (its `ensemble:` URI). */
const FileVerdictsSchema = Type.Object({
    path: Text(4096),
    verdicts: Type.Array(BreakpointVerdictSchema, { maxItems: MAX_BREAKPOINTS_PER_FILE })
}, strict);
export type FileVerdicts = Static<typeof FileVerdictsSchema>;

/** Host → all: a session's verdicts on one shared file's breakpoints changed (none left: an empty list). */
export const BreakpointVerdictsChanged = defineBroadcast('debug/breakpoint-verdicts', Type.Object({ sessionId: DebugSessionIdSchema, ...FileVerdictsSchema.properties }, strict));

/**
 * Guest → host: a session's verdicts on every shared file (when a guest's
 * mirror of it starts). The host answers at once, so the answer reaches the
 * guest before any verdict broadcast the host sends after it.
 */
export const ListBreakpointVerdicts = defineRequest('debug/list-breakpoint-verdicts',
    Type.Object({ sessionId: DebugSessionIdSchema }, strict),
    Type.Object({ files: Type.Array(FileVerdictsSchema, { maxItems: MAX_BREAKPOINT_FILES }) }, strict));

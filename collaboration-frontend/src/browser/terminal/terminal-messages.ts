import { defineBroadcast, defineRequest } from '@ensemble/collaboration-common';
import { Type, type Static } from '@sinclair/typebox';

/**
 * The session messages of shared terminals. The host shares some of its
 * terminals; a guest that opens one subscribes to the terminal's topic (so
 * only viewers get its output), asks the host for the recent scrollback, and
 * then applies the output batches in order of `seq`. A guest's keystrokes are
 * a request the host checks against the terminal's mode and the guest's
 * current role. Sizes are bounded so that no message comes near the server's
 * 1 MiB limit (JSON may escape a control character to 6 bytes).
 */

/** Characters of terminal output per `terminal/output` message. */
export const MAX_OUTPUT_CHUNK_CHARS = 32 * 1024;
/** Characters of replayed scrollback in the answer to `terminal/open`. */
export const MAX_SCROLLBACK_CHARS = 128 * 1024;
/** Characters of one `terminal/input` request (a paste is split into several). */
export const MAX_INPUT_CHARS = 4096;
/** Terminals one host shares at most. */
export const MAX_SHARED_TERMINALS = 32;
export const MAX_COLS = 1000;
export const MAX_ROWS = 500;

const strict = { additionalProperties: false } as const;

export const TerminalShareIdSchema = Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z0-9-]+$' });
export const TerminalModeSchema = Type.Union([Type.Literal('read-only'), Type.Literal('read-write')]);
export type TerminalShareMode = Static<typeof TerminalModeSchema>;
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Cols = Type.Integer({ minimum: 1, maximum: MAX_COLS });
const Rows = Type.Integer({ minimum: 1, maximum: MAX_ROWS });

export const SharedTerminalInfoSchema = Type.Object({
    id: TerminalShareIdSchema,
    title: Type.String({ maxLength: 256 }),
    mode: TerminalModeSchema,
    cols: Cols,
    rows: Rows
}, strict);
export type SharedTerminalInfo = Static<typeof SharedTerminalInfoSchema>;

const TerminalList = Type.Object({ terminals: Type.Array(SharedTerminalInfoSchema, { maxItems: MAX_SHARED_TERMINALS }) }, strict);

/** The topic a shared terminal's output and size are published on. */
export function terminalTopic(id: string): string {
    return `terminal/${id}`;
}

// ---- requests (guest → host) -------------------------------------------------------------------

/** The terminals the host shares now. */
export const ListSharedTerminals = defineRequest('terminal/list', Type.Object({}, strict), TerminalList);

/**
 * Open a shared terminal (subscribe to its topic first, then ask): the recent
 * scrollback as the host's terminal shows it (escape sequences included) and
 * the `seq` of the last output batch it contains; later batches follow on the topic.
 */
export const OpenSharedTerminal = defineRequest('terminal/open',
    Type.Object({ id: TerminalShareIdSchema }, strict),
    Type.Union([
        Type.Object({ ok: Type.Literal(true), terminal: SharedTerminalInfoSchema, scrollback: Type.String({ maxLength: MAX_SCROLLBACK_CHARS }), seq: Seq }, strict),
        Type.Object({ ok: Type.Literal(false), message: Type.String({ maxLength: 1024 }) }, strict)
    ]));

export const TERMINAL_INPUT_REFUSALS = ['unknown-peer', 'not-shared', 'read-only-terminal', 'read-only-role', 'rate-limited'] as const;
export type TerminalInputRefusal = typeof TERMINAL_INPUT_REFUSALS[number];

const TerminalInputResultSchema = Type.Union([
    Type.Object({ ok: Type.Literal(true) }, strict),
    Type.Object({
        ok: Type.Literal(false),
        code: Type.Union(TERMINAL_INPUT_REFUSALS.map(code => Type.Literal(code))),
        message: Type.String({ maxLength: 1024 })
    }, strict)
]);
/** Accepted, or refused with the reason (a message for the user). */
export type TerminalInputResult = Static<typeof TerminalInputResultSchema>;

/** Keystrokes (or a piece of a paste) for a shared terminal; the host writes them to its terminal only when allowed. */
export const SendTerminalInput = defineRequest('terminal/input',
    Type.Object({ id: TerminalShareIdSchema, data: Type.String({ minLength: 1, maxLength: MAX_INPUT_CHARS }) }, strict),
    TerminalInputResultSchema);

// ---- broadcasts (host → guests) ------------------------------------------------------------------

/** The set of shared terminals changed (shared, unshared, renamed, mode or size changed). */
export const SharedTerminalsChanged = defineBroadcast('terminal/list-changed', TerminalList);

/**
 * Host → the terminal's topic: output in order. `reset` says the host dropped
 * output it could not send in time (a flood): viewers fetch the scrollback again.
 */
export const TerminalOutput = defineBroadcast('terminal/output',
    Type.Object({ id: TerminalShareIdSchema, seq: Seq, data: Type.String({ maxLength: MAX_OUTPUT_CHUNK_CHARS }), reset: Type.Optional(Type.Boolean()) }, strict));

/** Host → the terminal's topic: the host's terminal has a new size; viewers use it so lines wrap as on the host. */
export const TerminalResized = defineBroadcast('terminal/resized', Type.Object({ id: TerminalShareIdSchema, cols: Cols, rows: Rows }, strict));

export const TerminalUnshareReasonSchema = Type.Union([Type.Literal('unshared'), Type.Literal('closed')]);
export type TerminalUnshareReason = Static<typeof TerminalUnshareReasonSchema>;

/** Host → all: a terminal is no longer shared (the host stopped sharing it, or closed it); viewers close their view. */
export const TerminalUnshared = defineBroadcast('terminal/unshared',
    Type.Object({ id: TerminalShareIdSchema, title: Type.String({ maxLength: 256 }), reason: TerminalUnshareReasonSchema }, strict));

import { Type, type Static } from '@sinclair/typebox';
import { METHOD_NAME_MAX_LENGTH, METHOD_NAME_PATTERN } from './message-definitions';

/**
 * The one envelope that carries every message on the wire, in both
 * directions, as the single argument of the socket.io event `msg`.
 */
export const ENVELOPE_EVENT = 'msg';

/** The origin the server puts on the messages it sends itself. Peer ids never take this value. */
export const SERVER_ORIGIN = 'server';

export const PeerIdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/** Topics are usually document URIs, hence the generous length. */
export const TopicNameSchema = Type.String({ minLength: 1, maxLength: 1024 });
export const MethodNameSchema = Type.String({ minLength: 3, maxLength: METHOD_NAME_MAX_LENGTH, pattern: METHOD_NAME_PATTERN });

const strict = { additionalProperties: false } as const;

export const TargetSchema = Type.Union([
    Type.Object({ type: Type.Literal('all') }, strict),
    Type.Object({ type: Type.Literal('host') }, strict),
    Type.Object({ type: Type.Literal('server') }, strict),
    Type.Object({ type: Type.Literal('peer'), peer: PeerIdSchema }, strict),
    Type.Object({ type: Type.Literal('topic'), topic: TopicNameSchema }, strict)
]);
/** Who receives an envelope: every other peer, the host, the server itself, one peer, or a topic's subscribers. */
export type Target = Static<typeof TargetSchema>;
export type PeerTarget = Extract<Target, { type: 'peer' | 'host' }>;
export type BroadcastTarget = Extract<Target, { type: 'all' | 'topic' }>;

export const WireErrorSchema = Type.Object({
    code: Type.String({ minLength: 1, maxLength: 64 }),
    message: Type.String({ maxLength: 4096 })
}, strict);
/** How a failure travels: a stable code for programs and a sentence for people. */
export type WireError = Static<typeof WireErrorSchema>;

export const EnvelopeSchema = Type.Object({
    kind: Type.Union([Type.Literal('broadcast'), Type.Literal('request'), Type.Literal('response'), Type.Literal('notification')]),
    method: MethodNameSchema,
    /** Request id, unique per origin; a response repeats it. */
    id: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    target: TargetSchema,
    /** Stamped by the server with the sender's peer id; a client that sets it is refused. */
    origin: Type.Optional(PeerIdSchema),
    params: Type.Optional(Type.Unknown()),
    /** Only on responses: the request failed, `params` is absent. */
    error: Type.Optional(WireErrorSchema)
}, strict);
export type Envelope = Static<typeof EnvelopeSchema>;
export type EnvelopeKind = Envelope['kind'];

/** An envelope as a receiver sees it: the server has stamped its origin. */
export type ReceivedEnvelope = Envelope & { origin: string };

/**
 * The rules a schema cannot express neatly: which kinds go to which targets
 * and which kinds need an id. Returns a description of the first broken rule.
 */
export function checkEnvelopeRules(envelope: Envelope): string | undefined {
    const target = envelope.target.type;
    switch (envelope.kind) {
        case 'broadcast':
            if (target !== 'all' && target !== 'topic') {
                return `a broadcast goes to "all" or a topic, not to "${target}"`;
            }
            break;
        case 'notification':
            if (target === 'topic') {
                return 'a notification goes to a peer, the host, the server or all peers, not to a topic (publish a broadcast instead)';
            }
            break;
        case 'request':
            if (target !== 'peer' && target !== 'host' && target !== 'server') {
                return `a request goes to a peer, the host or the server, not to "${target}"`;
            }
            if (envelope.id === undefined) {
                return 'a request needs an id';
            }
            break;
        case 'response':
            if (target !== 'peer') {
                return 'a response goes back to the peer that sent the request';
            }
            if (envelope.id === undefined) {
                return 'a response needs the id of its request';
            }
            if (envelope.error !== undefined && envelope.params !== undefined) {
                return 'a response carries either params or an error, not both';
            }
            break;
    }
    if (envelope.kind !== 'response' && envelope.error !== undefined) {
        return 'only responses carry an error';
    }
    return undefined;
}

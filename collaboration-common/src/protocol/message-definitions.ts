import type { Static, TSchema } from '@sinclair/typebox';
import type { JsonSchema } from './json-schema';

/**
 * Message definitions are values that carry their TypeScript types, so that a
 * handler and a sender of the same definition cannot disagree:
 *
 *     const DocumentOp = defineRequest('editor/op', OpParams, OpAck);
 *     session.onRequest(DocumentOp, params => ...);          // params: Static<typeof OpParams>
 *     const ack = await session.sendRequest(DocumentOp, op, { type: 'host' });
 *
 * The schemas travel to the server (which validates every message against
 * them) and are checked again by every receiver.
 */
export type MessageKind = 'broadcast' | 'request' | 'notification';

/** Phantom keys: they exist only in the type system, to carry P and R. */
declare const paramsType: unique symbol;
declare const resultType: unique symbol;

interface MessageDefinitionBase<K extends MessageKind> {
    readonly kind: K;
    /** `namespace/name`, e.g. `editor/op`. The namespaces `room`, `server` and `ensemble` are reserved. */
    readonly method: string;
    /** JSON schema of the params; every peer and the server validate against it. */
    readonly params: JsonSchema;
}

/** Sent to every peer of the room, or to the subscribers of one topic. */
export interface Broadcast<P> extends MessageDefinitionBase<'broadcast'> {
    readonly [paramsType]?: P;
}

/** Sent to one peer (or the host); the receiver's handler produces the response. */
export interface Request<P, R> extends MessageDefinitionBase<'request'> {
    /** JSON schema of the handler's result. */
    readonly result: JsonSchema;
    readonly [paramsType]?: P;
    readonly [resultType]?: R;
}

/** Sent to one peer (or the host), without a response. */
export interface Notification<P> extends MessageDefinitionBase<'notification'> {
    readonly [paramsType]?: P;
}

export type MessageDefinition = Broadcast<unknown> | Request<unknown, unknown> | Notification<unknown>;

export function defineBroadcast<S extends TSchema>(method: string, params: S): Broadcast<Static<S>> {
    return { kind: 'broadcast', method, params };
}

export function defineRequest<S extends TSchema, T extends TSchema>(method: string, params: S, result: T): Request<Static<S>, Static<T>> {
    return { kind: 'request', method, params, result };
}

export function defineNotification<S extends TSchema>(method: string, params: S): Notification<Static<S>> {
    return { kind: 'notification', method, params };
}

/** `editor/op`, `terminal/input.v2`: one or more segments of letters, digits, `_`, `.`, `-`, separated by `/`. */
export const METHOD_NAME_PATTERN = '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$';
export const METHOD_NAME_MAX_LENGTH = 128;
const methodNameRegExp = new RegExp(METHOD_NAME_PATTERN);

/** Namespaces owned by the server and the session itself; extensions cannot declare methods in them. */
export const RESERVED_METHOD_NAMESPACES: readonly string[] = ['room', 'server', 'ensemble'];

export function isValidMethodName(method: string): boolean {
    return method.length <= METHOD_NAME_MAX_LENGTH && methodNameRegExp.test(method);
}

export function isReservedMethod(method: string): boolean {
    const namespace = method.slice(0, method.indexOf('/'));
    return RESERVED_METHOD_NAMESPACES.includes(namespace);
}

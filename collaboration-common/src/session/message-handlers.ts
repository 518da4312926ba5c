import type { Broadcast, MessageDefinition, Notification, Request } from '../protocol/message-definitions';
import { sharedSchemaCompiler, type Validator } from '../protocol/schema-validator';
import type { Disposable } from './emitter';

/** What a handler learns about a message besides its params. */
export interface MessageContext {
    /** Peer id of the sender, stamped by the server (`server` for the server's own messages). */
    readonly origin: string;
}

export interface RequestContext extends MessageContext {
    /** Aborts when the requester cancels or gives up (timeout). */
    readonly signal: AbortSignal;
}

export type BroadcastHandler<P> = (params: P, context: MessageContext) => void;
export type NotificationHandler<P> = (params: P, context: MessageContext) => void;
export type RequestHandler<P, R> = (params: P, context: RequestContext) => R | Promise<R>;

interface Registered {
    readonly definition: MessageDefinition;
    readonly validateParams: Validator;
    readonly listeners: Set<(params: unknown, context: MessageContext) => void>;
    requestHandler?: (params: unknown, context: RequestContext) => unknown;
}

/** The handlers a session has, by method, with each method's compiled params validator. */
export class MessageHandlers {
    private readonly byMethod = new Map<string, Registered>();

    addListener<P>(definition: Broadcast<P> | Notification<P>, handler: (params: P, context: MessageContext) => void): Disposable {
        const entry = this.entryFor(definition);
        const listener = handler as (params: unknown, context: MessageContext) => void;
        entry.listeners.add(listener);
        return { dispose: () => { entry.listeners.delete(listener); } };
    }

    setRequestHandler<P, R>(definition: Request<P, R>, handler: RequestHandler<P, R>): Disposable {
        const entry = this.entryFor(definition);
        if (entry.requestHandler) {
            throw new Error(`A handler for the request "${definition.method}" is already registered; dispose it first.`);
        }
        const registered = handler as (params: unknown, context: RequestContext) => unknown;
        entry.requestHandler = registered;
        return { dispose: () => { if (entry.requestHandler === registered) { entry.requestHandler = undefined; } } };
    }

    get(method: string): Readonly<Registered> | undefined {
        return this.byMethod.get(method);
    }

    private entryFor(definition: MessageDefinition): Registered {
        const existing = this.byMethod.get(definition.method);
        if (existing) {
            if (existing.definition.kind !== definition.kind) {
                throw new Error(`"${definition.method}" is already registered as a ${existing.definition.kind}, not a ${definition.kind}.`);
            }
            return existing;
        }
        const entry: Registered = {
            definition,
            validateParams: sharedSchemaCompiler().compile(definition.params),
            listeners: new Set()
        };
        this.byMethod.set(definition.method, entry);
        return entry;
    }
}

/** In-flight handlers of incoming requests, so that a cancellation from the requester can abort them. */
export class IncomingRequests {
    private readonly controllers = new Map<string, AbortController>();

    begin(origin: string, id: number): AbortController {
        const controller = new AbortController();
        this.controllers.set(origin + '\u0000' + id, controller);
        return controller;
    }

    end(origin: string, id: number): void {
        this.controllers.delete(origin + '\u0000' + id);
    }

    cancel(origin: string, id: number): void {
        const key = origin + '\u0000' + id;
        this.controllers.get(key)?.abort(new Error('cancelled by the requester'));
        this.controllers.delete(key);
    }

    cancelAll(): void {
        for (const controller of this.controllers.values()) {
            controller.abort(new Error('the session closed'));
        }
        this.controllers.clear();
    }
}

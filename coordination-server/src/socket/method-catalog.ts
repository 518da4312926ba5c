import {
    BUILT_IN_PEER_MESSAGES, canonicalJson, isReservedMethod, SchemaCompiler, SERVER_REQUESTS,
    type MessageDeclaration, type MessageDefinition, type Validator
} from '@ensemble/collaboration-common';
import type { ServerLimits } from '../config/server-options';
import type { MethodRecord, RoomRegistry } from '../registry/room-registry';
import { linearTimeRegExp } from './linear-time-regexp';

/** A method the server can validate: its kind and compiled validators. */
export interface KnownMethod {
    readonly kind: MethodRecord['kind'];
    readonly validateParams: Validator;
    /** Requests only: validates the params of the response. */
    readonly validateResult?: Validator;
}

export type DeclarationCheck =
    | { readonly ok: true; readonly records: readonly MethodRecord[] }
    | { readonly ok: false; readonly problem: string };

/**
 * The message types each room knows: the built-in ones plus those its peers
 * declared. Validators are compiled once per distinct schema and cached per
 * process; with a shared registry, a method declared through another process
 * is fetched on first use.
 */
export class MethodCatalog {
    // Peers declare these schemas: their patterns must not be able to stall the process.
    private readonly compiler = new SchemaCompiler({ regExp: linearTimeRegExp });
    private readonly serverRequests = new Map<string, KnownMethod>();
    private readonly builtInPeerMessages = new Map<string, KnownMethod>();
    private readonly rooms = new Map<string, Map<string, KnownMethod>>();

    constructor(private readonly registry: RoomRegistry, private readonly limits: ServerLimits) {
        SERVER_REQUESTS.forEach(definition => this.serverRequests.set(definition.method, this.compileDefinition(definition)));
        BUILT_IN_PEER_MESSAGES.forEach(definition => this.builtInPeerMessages.set(definition.method, this.compileDefinition(definition)));
    }

    serverRequest(method: string): KnownMethod | undefined {
        return this.serverRequests.get(method);
    }

    /** The method if this process knows it already (the fast path). */
    cached(roomId: string, method: string): KnownMethod | undefined {
        return this.builtInPeerMessages.get(method) ?? this.rooms.get(roomId)?.get(method);
    }

    /** Fetches a method declared through another process; undefined if nobody declared it. */
    async load(roomId: string, method: string): Promise<KnownMethod | undefined> {
        const record = await this.registry.getMethod(roomId, method);
        if (!record) {
            return undefined;
        }
        try {
            return this.remember(roomId, record);
        } catch {
            return undefined;
        }
    }

    /**
     * Checks declarations and makes them known to this process at once (so the
     * declaring socket's next message can use them); the caller then stores
     * them in the registry, which has the final word on conflicts.
     */
    declareLocally(roomId: string, declarations: readonly MessageDeclaration[]): DeclarationCheck {
        const records: MethodRecord[] = [];
        for (const declaration of declarations) {
            const problem = this.checkDeclaration(declaration);
            if (problem) {
                return { ok: false, problem };
            }
            records.push(declaration.kind === 'request'
                ? { kind: declaration.kind, method: declaration.method, params: declaration.params as MethodRecord['params'], result: declaration.result as MethodRecord['params'] }
                : { kind: declaration.kind, method: declaration.method, params: declaration.params as MethodRecord['params'] });
        }
        const known = this.rooms.get(roomId);
        for (const record of records) {
            const existing = known?.get(record.method) as (KnownMethod & { canonical?: string }) | undefined;
            if (existing && existing.canonical !== canonicalJson(record)) {
                return { ok: false, problem: `"${record.method}" is already declared in this room with a different schema: the peers run different versions of the extension that defines it` };
            }
        }
        try {
            records.forEach(record => this.remember(roomId, record));
        } catch (error) {
            return { ok: false, problem: error instanceof Error ? error.message : String(error) };
        }
        return { ok: true, records };
    }

    /** Drops what this process knows about a room (it ended, or a declaration was refused by the registry). */
    forget(roomId: string, methods?: readonly string[]): void {
        if (methods) {
            methods.forEach(method => this.rooms.get(roomId)?.delete(method));
        } else {
            this.rooms.delete(roomId);
        }
    }

    private checkDeclaration(declaration: MessageDeclaration): string | undefined {
        if (isReservedMethod(declaration.method)) {
            return `"${declaration.method}" is in a reserved namespace (room/, server/, ensemble/); choose your extension's own`;
        }
        if (declaration.kind === 'request' && declaration.result === undefined) {
            return `the request "${declaration.method}" needs a result schema`;
        }
        for (const schema of [declaration.params, declaration.result]) {
            if (schema === undefined) {
                continue;
            }
            if ((typeof schema !== 'object' || schema === null || Array.isArray(schema)) && typeof schema !== 'boolean') {
                return `the schema of "${declaration.method}" must be a JSON schema object`;
            }
            if (JSON.stringify(schema).length > this.limits.maxSchemaBytes) {
                return `the schema of "${declaration.method}" is larger than ${this.limits.maxSchemaBytes} characters`;
            }
        }
        return undefined;
    }

    private remember(roomId: string, record: MethodRecord): KnownMethod {
        const known = {
            kind: record.kind,
            validateParams: this.compiler.compile(record.params, 'params'),
            validateResult: record.result === undefined ? undefined : this.compiler.compile(record.result, 'result'),
            canonical: canonicalJson(record)
        };
        let methods = this.rooms.get(roomId);
        if (!methods) {
            methods = new Map();
            this.rooms.set(roomId, methods);
        }
        methods.set(record.method, known);
        return known;
    }

    private compileDefinition(definition: MessageDefinition): KnownMethod {
        return {
            kind: definition.kind,
            validateParams: this.compiler.compile(definition.params, 'params'),
            validateResult: definition.kind === 'request' ? this.compiler.compile(definition.result, 'result') : undefined
        };
    }
}

import {
    ENVELOPE_EVENT, ErrorCodes, requestIdOf, SERVER_ORIGIN, ServerError, validateEnvelope, type Envelope, type ErrorCode
} from '@ensemble/collaboration-common';
import { performance } from 'node:perf_hooks';
import { serverNotification } from '../rooms/notify';
import { peerChannel, roomChannel, topicChannel } from '../rooms/room-channels';
import type { EnsembleSocket, MemberSocketData, ServerContext } from '../server-context';
import type { KnownMethod } from './method-catalog';
import { RequestFailure, serverRequestHandler } from './server-requests';
import { SocketGuard } from './socket-guard';

// Read once: the compiled CommonJS re-exports of collaboration-common are getters, two levels deep, run on every access.
const ENVELOPE = ENVELOPE_EVENT;
const checkEnvelope = validateEnvelope;

/** Envelopes waiting while a method declared through another process is fetched, so order is kept. */
const MAX_WAITING_ENVELOPES = 1000;

interface SocketState {
    readonly socket: EnsembleSocket;
    readonly guard: SocketGuard;
    /** Set while the socket's envelopes wait for a method lookup; later ones queue behind it. */
    waiting: Array<{ readonly envelope: Envelope; readonly size: number; readonly started: number }> | undefined;
    /**
     * The names of the room's and the host's channels, made once per socket: a
     * name made per message would be one more string to hash, and one more
     * that the recovery buffer keeps (and the scavenger copies).
     */
    roomChannel: string | undefined;
    hostChannel: string | undefined;
}

/**
 * The relay: checks every incoming envelope (size, rate, shape, origin,
 * method, params), stamps the sender and hands it to socket.io for delivery.
 * Everything on the fast path is synchronous, so a socket's envelopes are
 * relayed in the order they arrived. A bad envelope gets an error reply and
 * is dropped; a socket that keeps sending them is disconnected.
 */
export class EnvelopeRouter {
    constructor(private readonly context: ServerContext) { }

    attach(socket: EnsembleSocket): void {
        const state: SocketState = {
            socket, guard: new SocketGuard(this.context.options.limits, performance.now()), waiting: undefined, roomChannel: undefined, hostChannel: undefined
        };
        // engine.io reports each frame just before socket.io decodes it and calls onAny, synchronously: that is how the size is known.
        socket.conn.on('packet', (packet: { type: string; data?: unknown }) => {
            if (packet.type === 'message') {
                state.guard.countFrame(frameSize(packet.data));
            }
        });
        socket.onAny((event: string, ...args: unknown[]) => {
            try {
                this.receive(state, event, args);
            } catch (error) {
                this.context.logger.error({ err: error, socketId: socket.id }, 'unexpected error while relaying');
            }
        });
    }

    private receive(state: SocketState, event: string, args: unknown[]): void {
        // One monotonic clock read serves the rate limits and the relay duration.
        const started = performance.now();
        const size = state.guard.takeEnvelopeSize();
        const raw = args[0];
        if (event !== ENVELOPE || args.length !== 1) {
            return this.reject(state, ErrorCodes.invalidEnvelope, `Unknown event "${String(event).slice(0, 64)}": send envelopes as the single argument of "${ENVELOPE_EVENT}".`, raw);
        }
        const rejection = state.guard.admit(size, started);
        if (rejection) {
            return this.reject(state, rejection.code, rejection.message, raw, rejection.reply);
        }
        const data = state.socket.data;
        if (data.kind !== 'member') {
            return this.reject(state, ErrorCodes.notAdmitted, 'Wait for the host to admit you before sending messages.', raw);
        }
        const check = checkEnvelope(raw);
        if (!check.valid) {
            return this.reject(state, ErrorCodes.invalidEnvelope, `Invalid envelope: ${check.problem}.`, raw);
        }
        const envelope = check.envelope;
        if (envelope.origin !== undefined) {
            return this.reject(state, ErrorCodes.forgedOrigin, 'Do not set "origin": the server stamps every envelope with its sender.', raw);
        }
        if (envelope.target.type === 'server') {
            return this.handleServerRequest(state, data, envelope);
        }
        if (state.waiting) {
            if (state.waiting.length >= MAX_WAITING_ENVELOPES) {
                return this.reject(state, ErrorCodes.rateLimited, 'Too many messages are waiting for a method lookup; slow down.', raw);
            }
            state.waiting.push({ envelope, size, started });
            return;
        }
        const known = this.context.catalog.cached(data.roomId, envelope.method);
        if (known || !this.context.registry.shared) {
            return this.relay(state, data, envelope, known, size, started);
        }
        // Declared through another process, perhaps: fetch it, and queue this socket's next envelopes meanwhile.
        state.waiting = [{ envelope, size, started }];
        this.context.catalog.load(data.roomId, envelope.method).then(
            loaded => this.drain(state, data, loaded),
            error => {
                this.context.logger.error({ err: error }, 'method lookup failed');
                this.drain(state, data, undefined);
            });
    }

    private drain(state: SocketState, member: MemberSocketData, firstMethod: KnownMethod | undefined): void {
        const waiting = state.waiting ?? [];
        state.waiting = undefined;
        waiting.forEach(({ envelope, size, started }, index) => {
            const known = index === 0 ? firstMethod : this.context.catalog.cached(member.roomId, envelope.method);
            this.relay(state, member, envelope, known, size, started);
        });
    }

    private relay(state: SocketState, member: MemberSocketData, envelope: Envelope, known: KnownMethod | undefined, size: number, started: number): void {
        const { method, kind } = envelope;
        if (!known) {
            return this.reject(state, ErrorCodes.unknownMethod,
                `Nobody declared "${method}" in this room: the session declares a message when you register a handler or send it.`, envelope);
        }
        const expectedKind = kind === 'response' ? 'request' : kind;
        if (known.kind !== expectedKind) {
            return this.reject(state, ErrorCodes.invalidEnvelope, `"${method}" is declared as a ${known.kind}, not sent as a ${kind}.`, envelope);
        }
        const validate = kind === 'response' ? (envelope.error ? undefined : known.validateResult) : known.validateParams;
        const problem = validate?.(envelope.params);
        if (problem !== undefined) {
            if (kind === 'response' && envelope.target.type === 'peer') {
                // The requester would wait for nothing: tell it the answer was unusable.
                envelope.params = undefined;
                envelope.error = { code: ErrorCodes.invalidParams, message: `Peer ${member.peerId} answered "${method}" with an invalid result: ${problem}` };
                envelope.origin = member.peerId;
                state.socket.to(peerChannel(member.roomId, envelope.target.peer)).emit(ENVELOPE_EVENT, envelope);
            }
            return this.reject(state, ErrorCodes.invalidParams, `Invalid params for "${method}": ${problem}.`, envelope);
        }
        const target = envelope.target;
        let channel: string;
        switch (target.type) {
            case 'all': channel = state.roomChannel ??= roomChannel(member.roomId); break;
            case 'topic': channel = topicChannel(member.roomId, target.topic); break;
            case 'host': channel = state.hostChannel ??= peerChannel(member.roomId, member.hostPeerId); break;
            case 'peer': channel = peerChannel(member.roomId, target.peer); break;
            default: return;
        }
        const toOnePeer = target.type === 'peer' || target.type === 'host';
        const elsewhere = toOnePeer && !this.context.io.sockets.adapter.rooms.has(channel);
        if (elsewhere && !this.context.registry.shared) {
            return this.reject(state, ErrorCodes.peerNotConnected, notConnected(target, method), envelope);
        }
        envelope.origin = member.peerId;
        state.socket.to(channel).emit(ENVELOPE, envelope);
        this.context.metrics.relayed(kind, size, (performance.now() - started) / 1000);
        if (elsewhere && kind === 'request') {
            // Several processes: the peer may be connected to another one, so the request went out; if the shared registry
            // says it is connected nowhere, the requester hears so now instead of after its timeout.
            const peerId = target.type === 'peer' ? target.peer : member.hostPeerId;
            this.context.registry.isOnline(member.roomId, peerId).then(online => {
                if (!online) {
                    this.reject(state, ErrorCodes.peerNotConnected, notConnected(target, method), envelope);
                }
            }, (error: unknown) => this.context.logger.warn({ err: error }, 'could not check whether a request\'s target is connected'));
        }
    }

    private handleServerRequest(state: SocketState, member: MemberSocketData, envelope: Envelope): void {
        const { method, id } = envelope;
        const known = this.context.catalog.serverRequest(method);
        const handler = serverRequestHandler(method);
        if (envelope.kind !== 'request' || id === undefined) {
            return this.reject(state, ErrorCodes.invalidEnvelope, 'Only requests go to the server.', envelope);
        }
        if (!known || !handler) {
            return this.reject(state, ErrorCodes.unknownMethod, `The server has no request "${method}".`, envelope);
        }
        const problem = known.validateParams(envelope.params);
        if (problem !== undefined) {
            return this.reject(state, ErrorCodes.invalidParams, `Invalid params for "${method}": ${problem}.`, envelope);
        }
        const respond = (result: unknown, error?: { code: string; message: string }): void => {
            const response: Envelope = { kind: 'response', method, id, target: { type: 'peer', peer: member.peerId }, origin: SERVER_ORIGIN };
            if (error) {
                response.error = error;
            } else {
                response.params = result;
            }
            state.socket.emit(ENVELOPE_EVENT, response);
        };
        handler(this.context, state.socket, member, envelope.params).then(
            result => respond(result),
            (error: unknown) => {
                if (error instanceof RequestFailure) {
                    respond(undefined, { code: error.code, message: error.message });
                } else {
                    this.context.logger.error({ err: error, method }, 'server request failed');
                    respond(undefined, { code: ErrorCodes.internalError, message: `The server failed to handle "${method}"; try again.` });
                }
            });
    }

    private reject(state: SocketState, code: ErrorCode, message: string, offending: unknown, reply = true): void {
        this.context.metrics.messagesRejected.inc({ reason: code });
        const { socket, guard } = state;
        if (reply) {
            const method = (offending as { method?: unknown } | null)?.method;
            const id = requestIdOf(offending);
            socket.emit(ENVELOPE_EVENT, serverNotification(ServerError, {
                code, message,
                ...(typeof method === 'string' ? { method: method.slice(0, 128) } : {}),
                ...(id !== undefined ? { id } : {})
            }, { type: 'all' }));
        }
        if (guard.recordViolation(performance.now())) {
            this.context.logger.warn({ socketId: socket.id, code }, 'disconnecting a socket that keeps breaking the rules');
            socket.emit(ENVELOPE_EVENT, serverNotification(ServerError, {
                code: ErrorCodes.tooManyViolations,
                message: 'Too many invalid or excessive messages: the server closed this connection.'
            }, { type: 'all' }));
            socket.disconnect(true);
        }
    }
}

function notConnected(target: Envelope['target'], method: string): string {
    const who = target.type === 'host' ? 'The host' : target.type === 'peer' ? `Peer ${target.peer}` : 'The peer';
    return `${who} is not connected; "${method}" was not delivered.`;
}

function frameSize(data: unknown): number {
    if (typeof data === 'string') {
        // Length in UTF-16 units: a close, cheap bound for the wire size of JSON text.
        return data.length;
    }
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        return data.byteLength;
    }
    return 0;
}

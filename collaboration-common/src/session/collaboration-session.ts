import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { ENVELOPE_EVENT, SERVER_ORIGIN, type BroadcastTarget, type Envelope, type PeerTarget, type ReceivedEnvelope, type WireError } from '../protocol/envelope';
import { validateEnvelope } from '../protocol/envelope-validator';
import { ErrorCodes, type ConnectionRefusal } from '../protocol/error-codes';
import type { HandshakeAuth } from '../protocol/handshake';
import type { Broadcast, MessageDefinition, Notification, Request } from '../protocol/message-definitions';
import { peerStatusProblem, type GuestRole, type PeerInfo, type PeerRole, type PeerStatus, type PeerStatusEntry } from '../protocol/peer';
import { describeProtocolMismatch, PROTOCOL_VERSION } from '../protocol/protocol-version';
import {
    AnswerJoinRequest, CancelRequest, DeclareMessages, EndRoom, JoinAccepted, JoinDenied, JoinRequestClosed, JoinRequested, LeaveRoom,
    PeerJoined, PeerLeft, PeerRoleChanged, RemovePeer, RoomClosed, ServerError, SetPeerRole, SetStatus, StatusChanged, StatusExpired,
    SubscribeTopic, TokenRenewed, UnsubscribeTopic, Welcome,
    type JoinDecision, type JoinRequestInfo, type MessageDeclaration, type PeerLeftReason, type RoomClosedReason
} from '../protocol/room-messages';
import { sharedSchemaCompiler } from '../protocol/schema-validator';
import { Emitter, type Disposable, type Event } from './emitter';
import { IncomingRequests, MessageHandlers, type BroadcastHandler, type MessageContext, type NotificationHandler, type RequestHandler } from './message-handlers';
import { OutgoingRequests } from './outgoing-requests';
import {
    ConnectionRefusedError, InvalidMessageError, JoinDeniedError, ProtocolMismatchError, SessionClosedError, SessionError
} from './session-errors';

export interface SessionOptions {
    /** Base URL of the coordination server, e.g. `http://127.0.0.1:8100`. */
    readonly serverUrl: string;
    /** Default timeout of `sendRequest` (ms). Default 30 000. */
    readonly requestTimeoutMs?: number;
    /** How often the session renews its status (ms); keep it well below the server's status lifetime (30 s). Default 10 000. */
    readonly statusRenewIntervalMs?: number;
    /** Extra socket.io-client options (reconnection delays, path behind a proxy, ...). */
    readonly socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface RequestOptions {
    /** Overrides the session's default timeout (ms). */
    readonly timeoutMs?: number;
    /** Aborting it rejects the request and tells the receiver's handler (its `signal` aborts). */
    readonly signal?: AbortSignal;
}

export interface JoinOptions {
    readonly inviteCode: string;
    readonly displayName: string;
    /** Stop waiting for the host's answer. */
    readonly signal?: AbortSignal;
}

export type SessionState = 'idle' | 'connecting' | 'waiting-for-host' | 'connected' | 'reconnecting' | 'closed';

export interface PeerLeftEvent {
    readonly peerId: string;
    readonly reason: PeerLeftReason;
    readonly hostGraceEndsAt?: number;
}
export interface PeerRoleChangedEvent {
    readonly peerId: string;
    readonly role: PeerRole;
}
export interface ReconnectEvent {
    /** True when socket.io recovered the connection state (no message was missed); false means: resync. */
    readonly recovered: boolean;
}
export interface SessionClosedEvent {
    readonly reason: RoomClosedReason | 'closed-by-client' | 'connection-refused';
    readonly message: string;
}
export interface ServerErrorEvent {
    readonly code: string;
    readonly message: string;
    readonly method?: string;
}

/**
 * A peer's connection to a room on a coordination server, with the typed
 * message API. Runs in browsers and in Node. Register handlers first, then
 * `connect(token)` (host or admitted guest) or `join(...)` (guest by invite).
 */
export class CollaborationSession implements Disposable {
    private readonly options: Required<Pick<SessionOptions, 'requestTimeoutMs' | 'statusRenewIntervalMs'>> & SessionOptions;
    private socket: Socket | undefined;
    private sessionState: SessionState = 'idle';
    private token: string | undefined;
    private identity: { roomId: string; peerId: string; role: PeerRole; hostPeerId: string } | undefined;
    private welcomed = false;
    private hostIsOnline = false;
    private readonly peerMap = new Map<string, PeerInfo>();
    private readonly statusMap = new Map<string, PeerStatusEntry>();
    private readonly joinRequestMap = new Map<string, JoinRequestInfo>();
    private readonly topics = new Set<string>();
    private ownStatus: PeerStatus | undefined;
    private statusTimer: ReturnType<typeof setInterval> | undefined;

    private readonly handlers = new MessageHandlers();
    private readonly serverHandlers = new MessageHandlers();
    private readonly outgoing = new OutgoingRequests();
    private readonly incoming = new IncomingRequests();
    private readonly declaredMethods = new Set<string>();
    private undeclared: MessageDefinition[] = [];
    private connectWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;

    private readonly peerJoinedEmitter = new Emitter<PeerInfo>();
    private readonly peerLeftEmitter = new Emitter<PeerLeftEvent>();
    private readonly peerRoleChangedEmitter = new Emitter<PeerRoleChangedEvent>();
    private readonly statusChangedEmitter = new Emitter<PeerStatusEntry>();
    private readonly statusExpiredEmitter = new Emitter<{ readonly peerId: string }>();
    private readonly joinRequestEmitter = new Emitter<JoinRequestInfo>();
    private readonly joinRequestClosedEmitter = new Emitter<{ readonly requestId: string; readonly outcome: string }>();
    private readonly reconnectEmitter = new Emitter<ReconnectEvent>();
    private readonly disconnectEmitter = new Emitter<{ readonly reason: string }>();
    private readonly closedEmitter = new Emitter<SessionClosedEvent>();
    private readonly serverErrorEmitter = new Emitter<ServerErrorEvent>();
    private readonly protocolErrorEmitter = new Emitter<string>();

    readonly onPeerJoined: Event<PeerInfo> = this.peerJoinedEmitter.event;
    readonly onPeerLeft: Event<PeerLeftEvent> = this.peerLeftEmitter.event;
    readonly onPeerRoleChanged: Event<PeerRoleChangedEvent> = this.peerRoleChangedEmitter.event;
    readonly onStatusChanged: Event<PeerStatusEntry> = this.statusChangedEmitter.event;
    readonly onStatusExpired: Event<{ readonly peerId: string }> = this.statusExpiredEmitter.event;
    /** Host only: a guest asks to join; answer with `answerJoinRequest`. `joinRequests` lists the pending ones. */
    readonly onJoinRequest: Event<JoinRequestInfo> = this.joinRequestEmitter.event;
    readonly onJoinRequestClosed: Event<{ readonly requestId: string; readonly outcome: string }> = this.joinRequestClosedEmitter.event;
    /** The connection came back after a drop; when `recovered` is false, resync (messages may be missed). */
    readonly onReconnect: Event<ReconnectEvent> = this.reconnectEmitter.event;
    /** The connection dropped; socket.io reconnects by itself and `onReconnect` follows. */
    readonly onDisconnect: Event<{ readonly reason: string }> = this.disconnectEmitter.event;
    /** The session is over: the room ended, this peer was removed, or the connection was refused for good. */
    readonly onClosed: Event<SessionClosedEvent> = this.closedEmitter.event;
    /** The server dropped one of this session's messages (invalid, too large, rate-limited, ...). */
    readonly onServerError: Event<ServerErrorEvent> = this.serverErrorEmitter.event;
    /** This session dropped a message it received (invalid, or unexpected); the text says what was wrong. */
    readonly onProtocolError: Event<string> = this.protocolErrorEmitter.event;

    constructor(options: SessionOptions) {
        this.options = { requestTimeoutMs: 30_000, statusRenewIntervalMs: 10_000, ...options };
        this.registerServerHandlers();
    }

    // ---- state --------------------------------------------------------------------------

    get state(): SessionState { return this.sessionState; }
    get roomId(): string | undefined { return this.identity?.roomId; }
    get peerId(): string | undefined { return this.identity?.peerId; }
    get role(): PeerRole | undefined { return this.identity?.role; }
    get hostPeerId(): string | undefined { return this.identity?.hostPeerId; }
    get isHost(): boolean { return this.identity !== undefined && this.identity.role === 'host'; }
    get hostOnline(): boolean { return this.hostIsOnline; }
    /** The current token; store it to reconnect later (e.g. after an IDE restart) with `connect`. */
    get currentToken(): string | undefined { return this.token; }
    /** Connected peers, this one included. */
    get peers(): ReadonlyMap<string, PeerInfo> { return this.peerMap; }
    get statuses(): ReadonlyMap<string, PeerStatusEntry> { return this.statusMap; }
    /** Host only: join requests waiting for an answer, oldest first. */
    get joinRequests(): readonly JoinRequestInfo[] { return [...this.joinRequestMap.values()]; }
    get subscribedTopics(): ReadonlySet<string> { return this.topics; }

    // ---- connecting -----------------------------------------------------------------------

    /** Connects as the holder of `token` (the host's token from `createRoom`, or a token a guest got on admission). */
    connect(token: string): Promise<void> {
        this.assertState('idle', 'connect');
        this.token = token;
        this.sessionState = 'connecting';
        return this.openMemberSocket();
    }

    /** Asks to join by invite code and waits until the host admits (then connects) or denies (then rejects with JoinDeniedError). */
    async join(options: JoinOptions): Promise<void> {
        this.assertState('idle', 'join');
        this.sessionState = 'waiting-for-host';
        const auth: HandshakeAuth = { protocolVersion: PROTOCOL_VERSION, join: { inviteCode: options.inviteCode, displayName: options.displayName } };
        const socket = this.createSocket(auth);
        try {
            const token = await new Promise<string>((resolve, reject) => {
                const onAbort = (): void => reject(new JoinDeniedError('cancelled', 'Stopped waiting for the host to answer.'));
                options.signal?.addEventListener('abort', onAbort, { once: true });
                socket.on('connect_error', error => reject(this.refusalError(error)));
                socket.on('disconnect', reason => {
                    if (reason === 'io server disconnect' || reason === 'io client disconnect') {
                        reject(new JoinDeniedError('disconnected', 'The server ended the join request.'));
                    }
                });
                socket.on(ENVELOPE_EVENT, (raw: unknown) => {
                    const check = validateEnvelope(raw);
                    if (!check.valid || check.envelope.origin !== SERVER_ORIGIN) {
                        return;
                    }
                    const { method, params } = check.envelope;
                    if (method === JoinAccepted.method && this.isValid(JoinAccepted, params)) {
                        resolve(params.token);
                    } else if (method === JoinDenied.method && this.isValid(JoinDenied, params)) {
                        reject(new JoinDeniedError(params.reason, params.message));
                    }
                });
            });
            this.token = token;
        } catch (error) {
            this.sessionState = 'closed';
            throw error;
        } finally {
            socket.removeAllListeners();
            socket.disconnect();
        }
        this.sessionState = 'connecting';
        return this.openMemberSocket();
    }

    private openMemberSocket(): Promise<void> {
        const socket = this.createSocket(() => ({ protocolVersion: PROTOCOL_VERSION, token: this.token }));
        this.socket = socket;
        const welcomed = new Promise<void>((resolve, reject) => { this.connectWaiter = { resolve, reject }; });
        socket.on(ENVELOPE_EVENT, (raw: unknown) => this.receive(raw));
        socket.on('connect_error', error => this.onConnectError(error));
        socket.on('disconnect', reason => this.onSocketDisconnect(reason));
        return welcomed;
    }

    private createSocket(auth: HandshakeAuth | (() => HandshakeAuth)): Socket {
        return io(this.options.serverUrl, {
            reconnectionDelay: 250,
            reconnectionDelayMax: 5_000,
            ...this.options.socketOptions,
            // The server speaks websocket only (no sticky sessions needed behind a load balancer).
            transports: ['websocket'],
            // One connection per session: never share a manager with another session to the same server.
            forceNew: true,
            auth: typeof auth === 'function' ? callback => callback(auth()) : auth
        });
    }

    private onConnectError(error: Error): void {
        const refused = (error as { data?: unknown }).data !== undefined;
        if (this.connectWaiter) {
            // The first connection failed: tell the caller instead of retrying forever.
            const waiter = this.connectWaiter;
            this.connectWaiter = undefined;
            this.shutDown();
            this.sessionState = 'closed';
            waiter.reject(this.refusalError(error));
        } else if (refused) {
            // A reconnect was refused (room ended while away, removed, token expired): the session is over.
            this.closeWith({ reason: 'connection-refused', message: this.refusalError(error).message });
        }
    }

    private refusalError(error: Error): SessionError {
        const refusal = (error as { data?: Partial<ConnectionRefusal> }).data;
        if (refusal?.code === ErrorCodes.protocolMismatch && typeof refusal.serverProtocolVersion === 'number') {
            return new ProtocolMismatchError(refusal.message ?? describeProtocolMismatch(refusal.serverProtocolVersion, PROTOCOL_VERSION),
                refusal.serverProtocolVersion, PROTOCOL_VERSION);
        }
        if (refusal?.code) {
            return new ConnectionRefusedError(refusal.code, refusal.message ?? error.message);
        }
        return new ConnectionRefusedError('server-unreachable',
            `Cannot connect to the coordination server at ${this.options.serverUrl} (${error.message}); check the URL and that the server runs.`);
    }

    private onSocketDisconnect(reason: string): void {
        if (this.sessionState === 'closed') {
            return;
        }
        if (reason === 'io server disconnect') {
            // The server let go of this peer for good; a room/closed notification said why, if there was time.
            this.closeWith({ reason: 'removed', message: 'The server disconnected this session.' });
            return;
        }
        if (this.connectWaiter) {
            return; // still connecting: socket.io retries, connect_error reports failures
        }
        this.sessionState = 'reconnecting';
        this.disconnectEmitter.fire({ reason });
    }

    // ---- typed messaging --------------------------------------------------------------------

    onBroadcast<P>(definition: Broadcast<P>, handler: BroadcastHandler<P>): Disposable {
        const registration = this.handlers.addListener(definition, handler);
        this.declare(definition);
        return registration;
    }

    onNotification<P>(definition: Notification<P>, handler: NotificationHandler<P>): Disposable {
        const registration = this.handlers.addListener(definition, handler);
        this.declare(definition);
        return registration;
    }

    /** One handler per request method; what it returns (or throws) goes back to the requester. */
    onRequest<P, R>(definition: Request<P, R>, handler: RequestHandler<P, R>): Disposable {
        const registration = this.handlers.setRequestHandler(definition, handler);
        this.declare(definition);
        return registration;
    }

    /** To every other peer (default), or to the subscribers of a topic. Throws InvalidMessageError on params that break the schema. */
    sendBroadcast<P>(definition: Broadcast<P>, params: P, target: BroadcastTarget = { type: 'all' }): void {
        this.checkOutgoing(definition, params);
        this.emitEnvelope({ kind: 'broadcast', method: definition.method, target, params });
    }

    /** Broadcast to the peers subscribed to `topic` (e.g. those that have a document open). */
    publish<P>(topic: string, definition: Broadcast<P>, params: P): void {
        this.sendBroadcast(definition, params, { type: 'topic', topic });
    }

    sendNotification<P>(definition: Notification<P>, params: P, target: PeerTarget): void {
        this.checkOutgoing(definition, params);
        this.emitEnvelope({ kind: 'notification', method: definition.method, target, params });
    }

    /**
     * Sends a request to one peer (or the host) and resolves with its handler's
     * result. Rejects with RemoteError (the handler threw, or no handler),
     * RequestTimeoutError, RequestCancelledError or InvalidMessageError; never hangs.
     */
    async sendRequest<P, R>(definition: Request<P, R>, params: P, target: PeerTarget, options: RequestOptions = {}): Promise<R> {
        this.checkOutgoing(definition, params);
        const expectedOrigin = target.type === 'host' ? this.requireIdentity().hostPeerId : target.peer;
        const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
        const { id, result } = this.outgoing.start<R>({
            method: definition.method,
            expectedOrigin,
            validateResult: sharedSchemaCompiler().compile(definition.result, 'result'),
            timeoutMs,
            signal: options.signal,
            onAbandon: () => this.emitEnvelopeIfOpen({ kind: 'notification', method: CancelRequest.method, target, params: { id } })
        });
        this.emitEnvelopeIfOpen({ kind: 'request', method: definition.method, id, target, params });
        return result;
    }

    async subscribe(topic: string): Promise<void> {
        await this.requestServer(SubscribeTopic, { topic });
        this.topics.add(topic);
    }

    async unsubscribe(topic: string): Promise<void> {
        this.topics.delete(topic);
        await this.requestServer(UnsubscribeTopic, { topic });
    }

    /** Sets this peer's status; the session renews it until closed, so it never expires while connected. */
    /** Rejects with InvalidMessageError, keeping the previous status, when the status breaks the limits (MAX_PEER_STATUS_KEYS / _BYTES). */
    async setStatus(status: PeerStatus): Promise<void> {
        const problem = sharedSchemaCompiler().compile(SetStatus.params)({ status }) ?? peerStatusProblem(status);
        if (problem !== undefined) {
            // Checked here, not only by the server: the renewals would otherwise keep sending a status the server refuses.
            throw new InvalidMessageError(`Cannot set the status: ${problem}`);
        }
        this.ownStatus = status;
        this.statusTimer ??= setInterval(() => this.renewStatus(), this.options.statusRenewIntervalMs);
        await this.requestServer(SetStatus, { status });
    }

    // ---- host and guest actions ---------------------------------------------------------------

    /** Host only. */
    async answerJoinRequest(requestId: string, decision: JoinDecision, reason?: string): Promise<PeerInfo | undefined> {
        const answer = await this.requestServer(AnswerJoinRequest, reason === undefined ? { requestId, decision } : { requestId, decision, reason });
        return answer.peer;
    }

    /** Host only. */
    async setPeerRole(peerId: string, role: GuestRole): Promise<void> {
        await this.requestServer(SetPeerRole, { peerId, role });
    }

    /** Host only: the guest is disconnected and its token stops working. */
    async removePeer(peerId: string, reason?: string): Promise<void> {
        await this.requestServer(RemovePeer, reason === undefined ? { peerId } : { peerId, reason });
    }

    /** Host only: ends the room for everyone and closes this session. */
    async endRoom(reason?: string): Promise<void> {
        await this.requestServer(EndRoom, reason === undefined ? {} : { reason });
        this.closeWith({ reason: 'ended-by-host', message: 'You ended the room.' });
    }

    /** Guest: leave for good (closing the session without it only drops the connection; the guest may come back). */
    async leave(): Promise<void> {
        await this.requestServer(LeaveRoom, {});
        this.closeWith({ reason: 'closed-by-client', message: 'You left the room.' });
    }

    /** Drops the connection without leaving; a host keeps its room for the server's grace period. */
    dispose(): void {
        this.closeWith({ reason: 'closed-by-client', message: 'The session was closed.' });
    }

    // ---- receiving ------------------------------------------------------------------------------

    private receive(raw: unknown): void {
        const check = validateEnvelope(raw);
        if (!check.valid) {
            return this.protocolError(`dropped an invalid envelope: ${check.problem}`);
        }
        const envelope = check.envelope;
        if (envelope.origin === undefined) {
            return this.protocolError(`dropped "${envelope.method}": it has no origin`);
        }
        const received = envelope as ReceivedEnvelope;
        switch (received.kind) {
            case 'response': {
                const problem = this.outgoing.settle(received.id ?? -1, received.origin, received.params, received.error);
                if (problem) {
                    this.protocolError(`dropped a response: ${problem}`);
                }
                return;
            }
            case 'request':
                return this.handleRequest(received);
            case 'broadcast':
            case 'notification':
                return this.dispatch(received);
        }
    }

    private dispatch(envelope: ReceivedEnvelope): void {
        if (envelope.origin !== SERVER_ORIGIN && envelope.method === CancelRequest.method) {
            if (this.isValid(CancelRequest, envelope.params)) {
                this.incoming.cancel(envelope.origin, envelope.params.id);
            }
            return;
        }
        const handlers = envelope.origin === SERVER_ORIGIN ? this.serverHandlers : this.handlers;
        const entry = handlers.get(envelope.method);
        if (!entry || entry.definition.kind !== envelope.kind) {
            return; // nobody here listens to it: not an error, other peers may
        }
        const problem = entry.validateParams(envelope.params);
        if (problem !== undefined) {
            return this.protocolError(`dropped "${envelope.method}" from ${envelope.origin}: ${problem}`);
        }
        const context: MessageContext = { origin: envelope.origin };
        for (const listener of [...entry.listeners]) {
            try {
                listener(envelope.params, context);
            } catch (error) {
                console.error(`Ensemble: a handler of "${envelope.method}" threw; the other handlers still run.`, error);
            }
        }
    }

    private handleRequest(envelope: ReceivedEnvelope): void {
        const id = envelope.id ?? 0;
        const respond = (params: unknown, error?: WireError): void => this.emitEnvelopeIfOpen(error
            ? { kind: 'response', method: envelope.method, id, target: { type: 'peer', peer: envelope.origin }, error }
            : { kind: 'response', method: envelope.method, id, target: { type: 'peer', peer: envelope.origin }, params });
        const entry = this.handlers.get(envelope.method);
        const handler = entry?.requestHandler;
        if (!entry || !handler) {
            return respond(undefined, { code: ErrorCodes.noHandler, message: `Peer ${this.peerId} has no handler for "${envelope.method}".` });
        }
        const problem = entry.validateParams(envelope.params);
        if (problem !== undefined) {
            return respond(undefined, { code: ErrorCodes.invalidParams, message: `Invalid params for "${envelope.method}": ${problem}` });
        }
        const validateResult = sharedSchemaCompiler().compile((entry.definition as Request<unknown, unknown>).result, 'result');
        const controller = this.incoming.begin(envelope.origin, id);
        new Promise(resolve => resolve(handler(envelope.params, { origin: envelope.origin, signal: controller.signal })))
            .then(result => {
                if (controller.signal.aborted) {
                    return; // the requester gave up: nobody waits for this answer
                }
                const resultProblem = validateResult(result);
                return resultProblem === undefined
                    ? respond(result)
                    : respond(undefined, { code: ErrorCodes.handlerFailed, message: `The handler of "${envelope.method}" returned an invalid result: ${resultProblem}` });
            }, (error: unknown) => {
                if (!controller.signal.aborted) {
                    respond(undefined, { code: ErrorCodes.handlerFailed, message: error instanceof Error ? error.message : String(error) });
                }
            })
            .finally(() => this.incoming.end(envelope.origin, id));
    }

    private registerServerHandlers(): void {
        const on = <P>(definition: Notification<P>, handler: (params: P) => void): void => {
            this.serverHandlers.addListener(definition, params => handler(params));
        };
        on(Welcome, welcome => this.onWelcome(welcome));
        on(PeerJoined, ({ peer }) => {
            this.peerMap.set(peer.id, peer);
            if (peer.role === 'host') {
                this.hostIsOnline = true;
            }
            this.peerJoinedEmitter.fire(peer);
        });
        on(PeerLeft, event => {
            this.peerMap.delete(event.peerId);
            if (event.peerId === this.identity?.hostPeerId) {
                this.hostIsOnline = false;
            }
            if (event.reason !== 'disconnected') {
                this.outgoing.rejectFor(event.peerId, () => new SessionError(ErrorCodes.peerNotConnected, `Peer ${event.peerId} left the room before answering.`));
            }
            this.peerLeftEmitter.fire(event);
        });
        on(PeerRoleChanged, event => {
            const peer = this.peerMap.get(event.peerId);
            if (peer) {
                this.peerMap.set(event.peerId, { ...peer, role: event.role });
            }
            if (this.identity && event.peerId === this.identity.peerId) {
                this.identity = { ...this.identity, role: event.role };
            }
            this.peerRoleChangedEmitter.fire(event);
        });
        on(TokenRenewed, ({ token }) => { this.token = token; });
        on(StatusChanged, entry => {
            this.statusMap.set(entry.peerId, entry);
            this.statusChangedEmitter.fire(entry);
        });
        on(StatusExpired, ({ peerId }) => {
            this.statusMap.delete(peerId);
            this.statusExpiredEmitter.fire({ peerId });
        });
        on(JoinRequested, ({ request }) => {
            this.joinRequestMap.set(request.requestId, request);
            this.joinRequestEmitter.fire(request);
        });
        on(JoinRequestClosed, event => {
            this.joinRequestMap.delete(event.requestId);
            this.joinRequestClosedEmitter.fire(event);
        });
        on(RoomClosed, event => this.closeWith(event));
        on(ServerError, event => {
            // An error about one of our requests settles it at once instead of letting it time out.
            if (event.id === undefined || !this.outgoing.failFromServer(event.id, event.code, event.message)) {
                this.serverErrorEmitter.fire({ code: event.code, message: event.message, method: event.method });
            }
        });
    }

    private onWelcome(welcome: typeof Welcome extends Notification<infer P> ? P : never): void {
        const firstWelcome = !this.welcomed;
        this.welcomed = true;
        this.identity = { roomId: welcome.roomId, peerId: welcome.peerId, role: welcome.role, hostPeerId: welcome.hostPeerId };
        this.token = welcome.token;
        this.hostIsOnline = welcome.hostOnline;
        this.peerMap.clear();
        welcome.peers.forEach(peer => this.peerMap.set(peer.id, peer));
        this.statusMap.clear();
        welcome.statuses.forEach(entry => this.statusMap.set(entry.peerId, entry));
        this.joinRequestMap.clear();
        welcome.joinRequests.forEach(request => this.joinRequestMap.set(request.requestId, request));
        this.sessionState = 'connected';
        this.flushDeclarations();
        if (firstWelcome) {
            const waiter = this.connectWaiter;
            this.connectWaiter = undefined;
            waiter?.resolve();
            return;
        }
        const recovered = this.socket?.recovered ?? false;
        if (!recovered) {
            // A fresh connection lost the server-side state: subscribe again and restore the status.
            for (const topic of this.topics) {
                this.requestServer(SubscribeTopic, { topic }).catch(error => this.protocolError(`could not resubscribe to ${topic}: ${String(error)}`));
            }
            this.renewStatus();
        }
        this.reconnectEmitter.fire({ recovered });
    }

    // ---- sending ----------------------------------------------------------------------------------

    private requestServer<P, R>(definition: Request<P, R>, params: P): Promise<R> {
        if (this.sessionState === 'closed' || !this.socket) {
            return Promise.reject(new SessionClosedError());
        }
        const { id, result } = this.outgoing.start<R>({
            method: definition.method,
            expectedOrigin: SERVER_ORIGIN,
            validateResult: sharedSchemaCompiler().compile(definition.result, 'result'),
            timeoutMs: this.options.requestTimeoutMs
        });
        this.emitEnvelope({ kind: 'request', method: definition.method, id, target: { type: 'server' }, params });
        return result;
    }

    private checkOutgoing(definition: MessageDefinition, params: unknown): void {
        if (this.sessionState === 'closed') {
            throw new SessionClosedError();
        }
        const problem = sharedSchemaCompiler().compile(definition.params)(params);
        if (problem !== undefined) {
            throw new InvalidMessageError(`Cannot send "${definition.method}": ${problem}`);
        }
        this.declare(definition);
    }

    private emitEnvelope(envelope: Envelope): void {
        if (!this.socket || this.sessionState === 'closed') {
            throw new SessionClosedError();
        }
        if (!this.welcomed) {
            throw new SessionError('not-connected', 'Connect (or join) before sending messages.');
        }
        // Declarations go first, so the server knows a method before the first message that uses it.
        this.flushDeclarations();
        this.socket.emit(ENVELOPE_EVENT, envelope);
    }

    /** For sends whose failure surfaces elsewhere (a rejected promise), or that do not matter once closed. */
    private emitEnvelopeIfOpen(envelope: Envelope): void {
        if (this.socket && this.welcomed && this.sessionState !== 'closed') {
            this.emitEnvelope(envelope);
        }
    }

    /** Makes sure the server (and so every peer's server) knows the method's schema before it is used. */
    private declare(definition: MessageDefinition): void {
        if (this.declaredMethods.has(definition.method)) {
            return;
        }
        this.declaredMethods.add(definition.method);
        this.undeclared.push(definition);
        // Registrations made in one go travel as one declaration.
        queueMicrotask(() => this.flushDeclarations());
    }

    private flushDeclarations(): void {
        if (this.undeclared.length === 0 || !this.socket || !this.welcomed || this.sessionState === 'closed') {
            return;
        }
        const definitions = this.undeclared;
        this.undeclared = [];
        const messages: MessageDeclaration[] = definitions.map(definition => definition.kind === 'request'
            ? { kind: definition.kind, method: definition.method, params: definition.params, result: definition.result }
            : { kind: definition.kind, method: definition.method, params: definition.params });
        this.requestServer(DeclareMessages, { messages }).catch((error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            this.protocolError(`the server refused the declaration of ${definitions.map(d => d.method).join(', ')}: ${message}`);
            if (!(error instanceof SessionClosedError)) {
                definitions.forEach(definition => this.declaredMethods.delete(definition.method));
            }
        });
    }

    private renewStatus(): void {
        if (this.ownStatus && this.welcomed && this.sessionState === 'connected') {
            this.requestServer(SetStatus, { status: this.ownStatus }).catch(error => this.protocolError(`could not renew the status: ${String(error)}`));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private isValid<P>(definition: Notification<P>, params: unknown): params is P {
        return sharedSchemaCompiler().compile(definition.params)(params) === undefined;
    }

    private requireIdentity(): NonNullable<CollaborationSession['identity']> {
        if (!this.identity) {
            throw new SessionError('not-connected', 'Connect (or join) before sending messages.');
        }
        return this.identity;
    }

    private assertState(expected: SessionState, action: string): void {
        if (this.sessionState !== expected) {
            throw new SessionError('invalid-state', `Cannot ${action}: the session is ${this.sessionState}; create a new session instead.`);
        }
    }

    private protocolError(message: string): void {
        this.protocolErrorEmitter.fire(message);
    }

    private closeWith(event: SessionClosedEvent): void {
        if (this.sessionState === 'closed') {
            return;
        }
        this.sessionState = 'closed';
        const waiter = this.connectWaiter;
        this.connectWaiter = undefined;
        this.shutDown();
        const error = new SessionClosedError(event.message);
        waiter?.reject(error);
        this.outgoing.rejectAll(error);
        this.closedEmitter.fire(event);
    }

    private shutDown(): void {
        if (this.statusTimer) {
            clearInterval(this.statusTimer);
            this.statusTimer = undefined;
        }
        this.incoming.cancelAll();
        const socket = this.socket;
        this.socket = undefined;
        socket?.removeAllListeners();
        socket?.disconnect();
    }
}


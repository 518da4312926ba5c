import {
    CollaborationSession, createRoom, type GuestRole, type JoinDecision, type JoinRequestInfo, type PeerInfo, type PeerStatus
} from '@ensemble/collaboration-common';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { toParticipants, StatusKeys, type Participant } from '../participants/participant';
import { pickPeerColor } from '../participants/peer-colors';
import { formatInviteLink, parseInvite, type Invite } from './invite-link';
import { CollaborationSessionContribution, type SessionContext } from './session-contribution';
import { describeClosed, describeFailure, type FailureContext, type SessionEnd } from './session-messages';
import type { CollaborationState } from './session-state';
import { ServerUrlResolver } from './server-url-resolver';
import { SessionResumeStore } from './session-resume-store';

/** What a host hands out; `link` carries the server URL, so guests on other servers join the right one. */
export interface SessionInvite {
    readonly code: string;
    readonly link: string;
    readonly serverUrl: string;
}

export interface StartSessionOptions {
    /** 1 to 64 characters; what the guests see. */
    readonly displayName: string;
}

export interface JoinSessionOptions {
    /** An invite link or code as the user pasted it, or one already parsed. */
    readonly invite: string | Invite;
    readonly displayName: string;
}

export interface FollowChange {
    /** The peer this window now follows, or undefined when it stopped following. */
    readonly peerId: string | undefined;
}

export interface FeatureFailure {
    /** The contribution's class name, for logs and messages. */
    readonly feature: string;
    readonly error: unknown;
}

/**
 * Thrown by `startSession` / `joinSession` when the attempt failed or was
 * cancelled. The state is then `closed` with the same reason and message, and
 * the user has been told through the state (see SessionNotifier): callers
 * need not show it again.
 */
export class SessionFailedError extends Error {
    constructor(readonly end: SessionEnd) {
        super(end.message);
        this.name = 'SessionFailedError';
    }
}

/** The request cannot be carried out in the current state (already in a session, not the host, ...). */
export class SessionStateError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'SessionStateError';
    }
}

/** One start or join, from the first click until the session is over. */
interface Attempt {
    readonly isHost: boolean;
    readonly abort: AbortController;
    readonly toDispose: DisposableCollection;
    readonly contributions: Disposable[];
    readonly knownRequests: Set<string>;
    serverUrl?: string;
    session?: CollaborationSession;
    invite?: SessionInvite;
    /** Set once the first welcome arrived. */
    connected: boolean;
    hostGraceEndsAt?: number;
    ownStatus: Record<string, unknown>;
    /** Set once connected: what a resumed session publishes again. */
    displayName?: string;
    end?: SessionEnd;
}

/**
 * This window's collaboration session: the public API for other Theia
 * extensions. It finds the server (preference or embedded), creates and joins
 * rooms, runs every CollaborationSessionContribution for each session, keeps
 * this peer's status (name, colour and whatever features add), and turns the
 * session's events into one state and a few events that survive from one
 * session to the next (the `CollaborationSession` object itself is new for
 * every session: subscribe to it from a contribution, not from here).
 */
@injectable()
export class CollaborationSessionService implements Disposable {
    @inject(ServerUrlResolver) protected readonly serverUrlResolver!: ServerUrlResolver;
    @inject(ContributionProvider) @named(CollaborationSessionContribution)
    protected readonly contributions!: ContributionProvider<CollaborationSessionContribution>;
    @inject(ILogger) protected readonly logger!: ILogger;
    @inject(SessionResumeStore) protected readonly resumeStore!: SessionResumeStore;

    private current: CollaborationState = { kind: 'off' };
    private active: Attempt | undefined;
    private followed: string | undefined;
    private windowClosing = false;

    private readonly stateEmitter = new Emitter<CollaborationState>();
    private readonly participantsEmitter = new Emitter<void>();
    private readonly joinRequestsEmitter = new Emitter<void>();
    private readonly joinRequestEmitter = new Emitter<JoinRequestInfo>();
    private readonly followEmitter = new Emitter<FollowChange>();
    private readonly featureFailureEmitter = new Emitter<FeatureFailure>();
    private readonly toDispose = new DisposableCollection(this.stateEmitter, this.participantsEmitter, this.joinRequestsEmitter,
        this.joinRequestEmitter, this.followEmitter, this.featureFailureEmitter);

    /** Fires with every new state. */
    readonly onDidChangeState: Event<CollaborationState> = this.stateEmitter.event;
    /** Peers joined or left, or changed role or status (file, colour, following). Read `participants`. */
    readonly onDidChangeParticipants: Event<void> = this.participantsEmitter.event;
    /** Host: a join request arrived or was answered, withdrawn or expired. Read `joinRequests`. */
    readonly onDidChangeJoinRequests: Event<void> = this.joinRequestsEmitter.event;
    /** Host: a new join request waits for an answer (also fired for requests that arrived while this window was reconnecting). */
    readonly onJoinRequest: Event<JoinRequestInfo> = this.joinRequestEmitter.event;
    /**
     * This window started or stopped following a peer. The hook for follow
     * mode: whoever moves the editor along with the followed peer listens here.
     */
    readonly onDidChangeFollowing: Event<FollowChange> = this.followEmitter.event;
    /** A CollaborationSessionContribution threw while the session started; the session goes on without it. */
    readonly onDidFailFeature: Event<FeatureFailure> = this.featureFailureEmitter.event;

    get state(): CollaborationState { return this.current; }

    /** The running session (also while connecting or waiting for the host); undefined when off or closed. */
    get session(): CollaborationSession | undefined { return this.active?.session; }

    /** True while this window hosts (or is creating) a room. */
    get isHost(): boolean { return this.active?.isHost ?? false; }

    /** The coordination server of the running session. */
    get serverUrl(): string | undefined { return this.active?.serverUrl; }

    /** Host: the invite of the running session. */
    get invite(): SessionInvite | undefined { return this.active?.invite; }

    get participants(): readonly Participant[] {
        const session = this.connectedSession();
        return session ? toParticipants(session.peers.values(), session.statuses, session.peerId) : [];
    }

    /** Host: join requests waiting for an answer, oldest first. */
    get joinRequests(): readonly JoinRequestInfo[] {
        const session = this.connectedSession();
        return session && this.active?.isHost ? session.joinRequests : [];
    }

    get followedPeerId(): string | undefined { return this.followed; }

    /** True once this window is going away (reload or close): a session ending now may be resumed by the reloaded window. */
    get isWindowClosing(): boolean { return this.windowClosing; }

    /** This peer's status as last published (or to be published on connect). */
    get ownStatus(): Readonly<Record<string, unknown>> { return this.active?.ownStatus ?? {}; }

    // ---- starting and joining -----------------------------------------------------------------

    /** Creates a room and connects as its host. Rejects with SessionFailedError (state `closed` says why) or SessionStateError. */
    async startSession(options: StartSessionOptions): Promise<SessionInvite> {
        const displayName = checkDisplayName(options.displayName);
        const attempt = this.beginAttempt(true);
        try {
            const serverUrl = attempt.serverUrl = await this.serverUrlResolver.resolve();
            this.checkNotOver(attempt);
            const room = await createRoom({ serverUrl, hostName: displayName, signal: attempt.abort.signal });
            this.checkNotOver(attempt);
            const session = this.createSession(attempt, serverUrl);
            await this.startContributions(attempt, session);
            this.checkNotOver(attempt);
            await session.connect(room.hostToken);
            this.checkNotOver(attempt);
            attempt.invite = { code: room.inviteCode, serverUrl, link: formatInviteLink(serverUrl, room.inviteCode) };
            await this.onConnected(attempt, displayName);
            return attempt.invite;
        } catch (error) {
            throw this.fail(attempt, error, { action: 'start', serverUrl: attempt.serverUrl });
        }
    }

    /**
     * Asks to join with an invite link (its server) or a bare code (this
     * window's server) and resolves once the host admitted this window.
     * Rejects with SessionFailedError (denied, unreachable, ...; state `closed` says why),
     * InviteParseError (nothing changed) or SessionStateError.
     */
    async joinSession(options: JoinSessionOptions): Promise<void> {
        const invite = typeof options.invite === 'string' ? parseInvite(options.invite) : options.invite;
        const displayName = checkDisplayName(options.displayName);
        const attempt = this.beginAttempt(false);
        try {
            const serverUrl = attempt.serverUrl = invite.serverUrl ?? await this.serverUrlResolver.resolve();
            this.checkNotOver(attempt);
            const session = this.createSession(attempt, serverUrl);
            await this.startContributions(attempt, session);
            this.checkNotOver(attempt);
            const joined = session.join({ inviteCode: invite.code, displayName, signal: attempt.abort.signal });
            this.setState({ kind: 'waiting-for-host', serverUrl });
            await joined;
            this.checkNotOver(attempt);
            await this.onConnected(attempt, displayName);
        } catch (error) {
            throw this.fail(attempt, error, { action: 'join', serverUrl: attempt.serverUrl });
        }
    }

    /**
     * After a reload: back into the session this window was in, as the same
     * peer with its last token (no new approval). Resolves false when there is
     * nothing to resume; rejects like startSession/joinSession otherwise.
     */
    async resumeSession(): Promise<boolean> {
        const record = this.resumeStore.load();
        if (!record || this.active) {
            return false;
        }
        const attempt = this.beginAttempt(record.isHost);
        attempt.serverUrl = record.serverUrl;
        try {
            const session = this.createSession(attempt, record.serverUrl);
            await this.startContributions(attempt, session);
            this.checkNotOver(attempt);
            await session.connect(record.token);
            this.checkNotOver(attempt);
            attempt.invite = record.invite;
            await this.onConnected(attempt, record.displayName);
            return true;
        } catch (error) {
            throw this.fail(attempt, error, { action: 'resume', serverUrl: record.serverUrl });
        }
    }

    /** Called as the window unloads: keeps the newest token, so that a reload can resume the session. */
    rememberForReload(): void {
        const attempt = this.active;
        if (attempt?.connected) {
            this.saveForResume(attempt);
        }
    }

    // ---- ending -------------------------------------------------------------------------------

    /**
     * Guest: leave for good. While connecting or waiting for the host (host or
     * guest), this cancels the attempt. A connected host ends the session instead.
     */
    async leaveSession(): Promise<void> {
        const attempt = this.active;
        if (!attempt) {
            return;
        }
        if (!attempt.connected) {
            this.cancel(attempt, attempt.isHost
                ? { reason: 'ended', message: 'You stopped starting the session.' }
                : { reason: 'join-cancelled', message: 'You stopped waiting to join the session.' });
            return;
        }
        if (attempt.isHost) {
            throw new SessionStateError('You host this session: end it with "Ensemble: End Session" (the guests cannot stay without you).');
        }
        if (attempt.session?.state === 'connected') {
            // If the server does not answer, leaving locally is still what the user asked for.
            await attempt.session.leave().catch(error => this.logger.warn('Ensemble: could not tell the server that this guest left', error));
        }
        this.finish(attempt, { reason: 'left', message: 'You left the session.' });
    }

    /** Host: end the session for everyone. Guests are told that the host ended it. */
    async endSession(): Promise<void> {
        const attempt = this.active;
        if (!attempt) {
            return;
        }
        if (!attempt.isHost) {
            throw new SessionStateError('Only the host can end the session; use "Ensemble: Leave Session" to leave it.');
        }
        if (!attempt.connected) {
            return this.leaveSession();
        }
        const session = attempt.session!;
        if (session.state === 'connected') {
            await session.endRoom();
            this.finish(attempt, { reason: 'ended', message: 'You ended the session; every guest was told.' });
        } else {
            this.finish(attempt, {
                reason: 'ended',
                message: 'You ended the session while disconnected from the server; it ends for the guests when the server stops waiting for you.'
            });
        }
    }

    // ---- host actions ---------------------------------------------------------------------------

    /** Host: admit (read-write or read-only) or deny a waiting guest. */
    async answerJoinRequest(requestId: string, decision: JoinDecision): Promise<PeerInfo | undefined> {
        return this.requireHostSession('answer join requests').answerJoinRequest(requestId, decision);
    }

    /** Host: change a guest's permission. */
    async setPeerRole(peerId: string, role: GuestRole): Promise<void> {
        await this.requireHostSession('change permissions').setPeerRole(peerId, role);
    }

    /** Host: remove a guest; its invite token stops working. */
    async removePeer(peerId: string): Promise<void> {
        await this.requireHostSession('remove guests').removePeer(peerId);
    }

    // ---- status and follow mode ----------------------------------------------------------------

    /**
     * Merges keys into this peer's status (`undefined` removes a key) and
     * publishes it when connected; before that it is kept and published on
     * connect. Other extensions add their own keys (cursor, terminal, ...).
     */
    updateOwnStatus(patch: Readonly<Record<string, unknown>>): void {
        const attempt = this.active;
        if (!attempt) {
            return;
        }
        const next: Record<string, unknown> = { ...attempt.ownStatus };
        for (const [key, value] of Object.entries(patch)) {
            if (value === undefined) {
                delete next[key];
            } else {
                next[key] = value;
            }
        }
        attempt.ownStatus = next;
        this.publishStatus(attempt);
    }

    /**
     * Follow a peer (or stop, with undefined): sets `following` in this peer's
     * status and fires onDidChangeFollowing. Moving the editor along is the
     * follow-mode feature's job (it listens to that event).
     */
    follow(peerId: string | undefined): void {
        if (peerId === this.followed) {
            return;
        }
        const session = this.connectedSession();
        if (peerId !== undefined && (!session || !session.peers.has(peerId) || peerId === session.peerId)) {
            throw new SessionStateError('That participant is not in the session (any more); pick another one in the Participants view.');
        }
        this.followed = peerId;
        this.updateOwnStatus({ [StatusKeys.following]: peerId });
        this.followEmitter.fire({ peerId });
    }

    dispose(): void {
        // The window goes away (reload or close): keep the record, so that a reload of this tab resumes.
        this.rememberForReload();
        this.windowClosing = true;
        if (this.active) {
            this.cancel(this.active, { reason: 'left', message: 'The session was closed with this window.' });
        }
        this.toDispose.dispose();
    }

    // ---- internals ------------------------------------------------------------------------------

    private beginAttempt(isHost: boolean): Attempt {
        if (this.active) {
            const what = this.current.kind === 'hosting' ? 'host a session' : this.current.kind === 'joined' ? 'are in a session' : 'are starting or joining a session';
            throw new SessionStateError(`You already ${what}. ${this.active.isHost ? 'End' : 'Leave'} it first, then try again.`);
        }
        const attempt: Attempt = {
            isHost,
            abort: new AbortController(),
            toDispose: new DisposableCollection(),
            contributions: [],
            knownRequests: new Set(),
            connected: false,
            ownStatus: {}
        };
        this.active = attempt;
        this.setState({ kind: 'connecting', asHost: isHost });
        return attempt;
    }

    private createSession(attempt: Attempt, serverUrl: string): CollaborationSession {
        const session = new CollaborationSession({ serverUrl });
        attempt.session = session;
        const on = <T>(event: (listener: (value: T) => void) => Disposable, listener: (value: T) => void): void => {
            attempt.toDispose.push(event(listener));
        };
        on(session.onDisconnect, () => this.refreshState(attempt));
        on(session.onReconnect, () => {
            this.saveForResume(attempt);
            this.announceNewJoinRequests(attempt);
            this.refreshState(attempt);
            this.fireIfActive(attempt, this.participantsEmitter);
        });
        on(session.onPeerJoined, peer => {
            if (peer.role === 'host') {
                attempt.hostGraceEndsAt = undefined;
            }
            this.refreshState(attempt);
            this.fireIfActive(attempt, this.participantsEmitter);
        });
        on(session.onPeerLeft, event => {
            if (event.peerId === session.hostPeerId) {
                attempt.hostGraceEndsAt = event.hostGraceEndsAt;
            }
            if (event.peerId === this.followed && this.active === attempt) {
                this.follow(undefined);
            }
            this.refreshState(attempt);
            this.fireIfActive(attempt, this.participantsEmitter);
        });
        on(session.onPeerRoleChanged, () => {
            this.refreshState(attempt);
            this.fireIfActive(attempt, this.participantsEmitter);
        });
        on(session.onStatusChanged, () => this.fireIfActive(attempt, this.participantsEmitter));
        on(session.onStatusExpired, () => this.fireIfActive(attempt, this.participantsEmitter));
        on(session.onJoinRequest, request => {
            attempt.knownRequests.add(request.requestId);
            this.refreshState(attempt);
            this.fireIfActive(attempt, this.joinRequestsEmitter);
            if (this.active === attempt) {
                this.joinRequestEmitter.fire(request);
            }
        });
        on(session.onJoinRequestClosed, ({ requestId }) => {
            attempt.knownRequests.delete(requestId);
            this.refreshState(attempt);
            this.fireIfActive(attempt, this.joinRequestsEmitter);
        });
        on(session.onClosed, event => this.finish(attempt, describeClosed(event, attempt.isHost)));
        on(session.onProtocolError, message => this.logger.warn(`Ensemble: ${message}`));
        on(session.onServerError, event => this.logger.warn(`Ensemble: the server dropped a message (${event.code}${event.method ? `, ${event.method}` : ''}): ${event.message}`));
        return session;
    }

    /** Runs every feature for the new session, before it connects, so their handlers are declared before any peer uses them. */
    private async startContributions(attempt: Attempt, session: CollaborationSession): Promise<void> {
        const context: SessionContext = { session, isHost: attempt.isHost, serverUrl: attempt.serverUrl ?? '' };
        for (const contribution of this.contributions.getContributions()) {
            try {
                attempt.contributions.push(await contribution.onSessionStarting(context));
            } catch (error) {
                const feature = contribution.constructor?.name ?? 'a collaboration feature';
                this.logger.error(`Ensemble: ${feature} failed to start for this session; the session goes on without it.`, error);
                this.featureFailureEmitter.fire({ feature, error });
            }
            if (this.active !== attempt) {
                return; // cancelled meanwhile: finish() disposes what already started
            }
        }
    }

    private async onConnected(attempt: Attempt, displayName: string): Promise<void> {
        const session = attempt.session!;
        attempt.connected = true;
        for (const request of session.joinRequests) {
            attempt.knownRequests.add(request.requestId);
        }
        const otherColors = [...session.statuses.values()]
            .filter(entry => entry.peerId !== session.peerId)
            .map(entry => entry.status.color)
            .filter((color): color is string => typeof color === 'string');
        attempt.ownStatus = {
            ...attempt.ownStatus,
            [StatusKeys.name]: displayName,
            [StatusKeys.color]: pickPeerColor(session.peerId!, otherColors)
        };
        attempt.displayName = displayName;
        this.saveForResume(attempt);
        this.refreshState(attempt);
        this.participantsEmitter.fire();
        this.joinRequestsEmitter.fire();
        await this.publishStatus(attempt);
        // Requests that were already pending (a host coming back) get their notification too.
        for (const request of session.joinRequests) {
            this.joinRequestEmitter.fire(request);
        }
    }

    private saveForResume(attempt: Attempt): void {
        const token = attempt.session?.currentToken;
        if (token && attempt.serverUrl && attempt.displayName) {
            this.resumeStore.save({ serverUrl: attempt.serverUrl, token, isHost: attempt.isHost, displayName: attempt.displayName, invite: attempt.invite });
        }
    }

    private publishStatus(attempt: Attempt): Promise<void> {
        const session = attempt.session;
        if (!attempt.connected || !session || session.state === 'closed') {
            return Promise.resolve();
        }
        // Sent while reconnecting, the session re-sends it once back; a failure here only means a later renewal carries it.
        return session.setStatus(attempt.ownStatus as PeerStatus)
            .catch(error => this.logger.warn('Ensemble: could not publish this participant\'s status', error));
    }

    private announceNewJoinRequests(attempt: Attempt): void {
        const session = attempt.session;
        if (!session || this.active !== attempt || !attempt.isHost) {
            return;
        }
        const pending = new Set(session.joinRequests.map(request => request.requestId));
        for (const requestId of [...attempt.knownRequests]) {
            if (!pending.has(requestId)) {
                attempt.knownRequests.delete(requestId);
            }
        }
        for (const request of session.joinRequests) {
            if (!attempt.knownRequests.has(request.requestId)) {
                attempt.knownRequests.add(request.requestId);
                this.joinRequestEmitter.fire(request);
            }
        }
        this.joinRequestsEmitter.fire();
    }

    private refreshState(attempt: Attempt): void {
        const session = attempt.session;
        if (this.active !== attempt || !attempt.connected || !session) {
            return;
        }
        if (session.state === 'reconnecting' || session.state === 'connecting') {
            this.setState({ kind: 'reconnecting', cause: 'connection-lost', asHost: attempt.isHost });
        } else if (attempt.isHost) {
            this.setState({ kind: 'hosting', guests: Math.max(0, session.peers.size - 1), pendingRequests: session.joinRequests.length });
        } else if (!session.hostOnline) {
            this.setState({
                kind: 'reconnecting', cause: 'host-away', asHost: false,
                ...(attempt.hostGraceEndsAt !== undefined ? { hostGraceEndsAt: attempt.hostGraceEndsAt } : {})
            });
        } else {
            this.setState({ kind: 'joined', role: session.role === 'read-only' ? 'read-only' : 'read-write' });
        }
    }

    private setState(state: CollaborationState): void {
        if (JSON.stringify(state) === JSON.stringify(this.current)) {
            return;
        }
        this.current = state;
        this.stateEmitter.fire(state);
    }

    private checkNotOver(attempt: Attempt): void {
        if (this.active !== attempt) {
            throw new SessionFailedError(attempt.end ?? { reason: 'failed', message: 'The session ended while it was starting.' });
        }
    }

    /** Records a failed start or join (unless the attempt already ended for a known reason) and returns what to throw. */
    private fail(attempt: Attempt, error: unknown, context: FailureContext): Error {
        if (error instanceof SessionFailedError) {
            return error;
        }
        if (this.active !== attempt) {
            return new SessionFailedError(attempt.end ?? describeFailure(error, context));
        }
        const end = describeFailure(error, context);
        this.finish(attempt, end);
        return new SessionFailedError(end);
    }

    private cancel(attempt: Attempt, end: SessionEnd): void {
        attempt.abort.abort();
        this.finish(attempt, end);
    }

    /** The one place a session ends: stops listening, disposes the features, closes the connection, records why. */
    private finish(attempt: Attempt, end: SessionEnd): void {
        if (this.active !== attempt) {
            return;
        }
        this.active = undefined;
        attempt.end = end;
        if (!this.windowClosing) {
            // Over for good (left, ended, removed, failed): a reload must not bring it back.
            this.resumeStore.clear();
        }
        attempt.toDispose.dispose();
        attempt.session?.dispose();
        for (const disposable of attempt.contributions.reverse()) {
            try {
                disposable.dispose();
            } catch (error) {
                this.logger.error('Ensemble: a collaboration feature failed to clean up after the session', error);
            }
        }
        if (this.followed !== undefined) {
            this.followed = undefined;
            this.followEmitter.fire({ peerId: undefined });
        }
        this.setState({ kind: 'closed', reason: end.reason, message: end.message });
        this.participantsEmitter.fire();
        this.joinRequestsEmitter.fire();
    }

    private connectedSession(): CollaborationSession | undefined {
        return this.active?.connected ? this.active.session : undefined;
    }

    private requireHostSession(action: string): CollaborationSession {
        const session = this.connectedSession();
        if (!session || !this.active?.isHost) {
            throw new SessionStateError(`Only the host of a running session can ${action}.`);
        }
        return session;
    }

    private fireIfActive(attempt: Attempt, emitter: Emitter<void>): void {
        if (this.active === attempt && attempt.connected) {
            emitter.fire();
        }
    }
}

function checkDisplayName(name: string): string {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 64) {
        throw new SessionStateError('A display name must have 1 to 64 characters; set one in the preference collaboration.displayName or type one when asked.');
    }
    return trimmed;
}

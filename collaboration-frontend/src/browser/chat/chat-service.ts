import { RequestTimeoutError, type CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { inject, injectable } from '@theia/core/shared/inversify';
import { BuiltInStatusKeys } from '../peer-status/builtin-status-keys';
import { PeerStatusService } from '../peer-status/peer-status-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from '../session/session-contribution';
import { ChatHistory, newChatEpoch, newChatPostId } from './chat-history';
import { ChatHistoryStore } from './chat-history-store';
import { registerChatHostHandlers } from './chat-host-handlers';
import { ChatMessagePosted, GetChatHistory, MAX_CHAT_HISTORY_MESSAGES, PostChatMessage, type ChatMessage } from './chat-messages';
import { chatTextProblem } from './chat-text';
import { TypingIndicator } from './chat-typing';

/** A message cannot be sent; the text says why and what to do. */
export class ChatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ChatError';
    }
}

export type ChatHistoryState =
    | { readonly kind: 'complete' }
    | { readonly kind: 'loading' }
    | { readonly kind: 'failed'; readonly message: string };

/** Pages at most per history fetch: 500 messages fit in a few; this only stops a host that never says "no more". */
const MAX_HISTORY_PAGES = 50;
const POST_TIMEOUT_MS = 15_000;

/**
 * The chat of the current session. The host keeps the history (bounded),
 * numbers the messages and relays them; guests post through the host and
 * fetch what they missed when they join or come back. Typing shows through
 * the `ensemble.chat.typing` status key.
 */
@injectable()
export class ChatService implements CollaborationSessionContribution {
    @inject(CollaborationSessionService) protected readonly sessions!: CollaborationSessionService;
    @inject(PeerStatusService) protected readonly statuses!: PeerStatusService;
    @inject(ILogger) protected readonly logger!: ILogger;
    @inject(ChatHistoryStore) protected readonly store!: ChatHistoryStore;

    private history = new ChatHistory(newChatEpoch());
    /** Messages of the host's earlier histories (before its window reloaded), shown above the current one. */
    private earlier: readonly ChatMessage[] = [];
    private combined: readonly ChatMessage[] | undefined;
    private session: CollaborationSession | undefined;
    private historyStatus: ChatHistoryState = { kind: 'complete' };
    /** Every message up to this id is here (as far as the host still has them): where the next fetch starts. */
    private contiguousId = 0;
    private fetching: Promise<void> | undefined;
    /**
     * A guest's post that failed, with its id: sending the same text again
     * reuses the id, so that a post whose answer was lost (it did reach the
     * host) is not posted twice.
     */
    private unsentPost: { readonly text: string; readonly postId: string } | undefined;
    /** How long a guest waits for the host to take a post. */
    protected postTimeoutMs = POST_TIMEOUT_MS;
    /** Host: whether the history kept for a reload of this tab was looked for in this session (once its room is known). */
    private restored = false;

    private readonly changeEmitter = new Emitter<void>();
    private readonly receiveEmitter = new Emitter<ChatMessage>();
    /** The messages or the history state changed. */
    readonly onDidChangeMessages: Event<void> = this.changeEmitter.event;
    /** A message from someone else arrived while in the session (not one from the history of a late joiner). */
    readonly onDidReceiveMessage: Event<ChatMessage> = this.receiveEmitter.event;

    private readonly typing = new TypingIndicator(typing => {
        try {
            if (typing) {
                this.statuses.setStatusKey(BuiltInStatusKeys.chatTyping, true);
            } else {
                this.statuses.removeStatusKey(BuiltInStatusKeys.chatTyping);
            }
        } catch (error) {
            this.logger.warn('Ensemble: could not publish the chat typing indicator', error);
        }
    });

    /** The messages of the current (or last) session, oldest first. */
    get messages(): readonly ChatMessage[] {
        if (this.earlier.length === 0) {
            return this.history.messages;
        }
        return this.combined ??= [...this.earlier, ...this.history.messages];
    }

    get historyState(): ChatHistoryState { return this.historyStatus; }

    /** This window's peer id in the current session. */
    get selfId(): string | undefined { return this.session?.peerId; }

    /** True when a message can be sent now. */
    get canSend(): boolean {
        const kind = this.sessions.state.kind;
        return this.session !== undefined && (kind === 'hosting' || kind === 'joined');
    }

    /** The names of the other peers typing a message right now. */
    typingNames(): string[] {
        return this.sessions.participants
            .filter(participant => !participant.isSelf && this.statuses.valueOf(participant.peerId, BuiltInStatusKeys.chatTyping) === true)
            .map(participant => participant.name);
    }

    /** The user typed in the message box. */
    noteTyping(): void {
        if (this.canSend) {
            this.typing.keystroke();
        }
    }

    /** The user emptied the message box or left it. */
    stopTyping(): void {
        this.typing.stop();
    }

    /** Sends a message to everyone. Rejects with ChatError (nothing was sent) when it cannot. */
    async send(text: string): Promise<ChatMessage> {
        const problem = chatTextProblem(text);
        if (problem) {
            throw new ChatError(problem);
        }
        const session = this.session;
        if (!session || !this.canSend) {
            throw new ChatError('You are not connected to a session: start or join one (or wait until the connection is back), then send again.');
        }
        this.typing.stop();
        if (session.isHost) {
            const self = session.peers.get(session.peerId!);
            return this.postAsHost(session, session.peerId!, self?.name ?? 'Host', text);
        }
        const postId = this.unsentPost?.text === text ? this.unsentPost.postId : newChatPostId();
        let message: ChatMessage;
        try {
            ({ message } = await session.sendRequest(PostChatMessage, { text, postId }, { type: 'host' }, { timeoutMs: this.postTimeoutMs }));
        } catch (error) {
            this.unsentPost = { text, postId };
            throw new ChatError(error instanceof RequestTimeoutError
                ? 'The host did not answer in time, so the message may not have reached it; send it again (it will not show twice).'
                : `The message was not sent: ${error instanceof Error ? error.message : String(error)}; try again.`);
        }
        if (this.unsentPost?.postId === postId) {
            this.unsentPost = undefined;
        }
        this.add(message, false);
        return message;
    }

    /** Guest: loads the messages the history has and this window has not (after a failure, for instance). */
    loadHistory(): Promise<void> {
        const session = this.session;
        if (!session || session.isHost) {
            return Promise.resolve();
        }
        return this.fetching ??= this.fetchHistory(session).finally(() => { this.fetching = undefined; });
    }

    onSessionStarting({ session, isHost }: SessionContext): Disposable {
        this.session = session;
        // A guest learns the host's epoch from the first page or message; the host makes one for this session.
        this.history = new ChatHistory(newChatEpoch());
        this.earlier = [];
        this.combined = undefined;
        this.contiguousId = 0;
        this.historyStatus = isHost ? { kind: 'complete' } : { kind: 'loading' };
        this.changeEmitter.fire();
        const toDispose = new DisposableCollection();
        toDispose.push(session.onBroadcast(ChatMessagePosted, ({ message }, { origin }) => {
            if (origin !== session.hostPeerId) {
                // Only the host numbers and relays messages: anything else is a forgery (or a confused peer).
                this.logger.warn(`Ensemble: dropped a chat message that peer ${origin} broadcast itself; only the host relays messages.`);
                return;
            }
            this.add(message, true);
        }));
        if (isHost) {
            this.restored = false;
            toDispose.push(registerChatHostHandlers(session, {
                post: (author, text) => this.postAsHost(session, author.id, author.name, text),
                page: after => {
                    this.restoreHostHistory(session);
                    return this.history.page(after);
                }
            }));
            toDispose.push(this.sessions.onDidChangeState(state => {
                if (state.kind === 'hosting' && this.session === session) {
                    this.restoreHostHistory(session);
                }
            }));
        } else {
            let joined = false;
            toDispose.push(this.sessions.onDidChangeState(state => {
                // Every (re)entry into the session: first join, back after a dropped connection, the host back after being away.
                const nowJoined = state.kind === 'joined';
                if (nowJoined && !joined && this.session === session) {
                    void this.loadHistory();
                }
                joined = nowJoined;
            }));
        }
        toDispose.push(Disposable.create(() => {
            if (isHost && !this.sessions.isWindowClosing) {
                this.store.clear(); // over for good: no reload will come back to this history
            }
            this.typing.stop();
            if (this.session === session) {
                this.session = undefined;
                if (this.historyStatus.kind === 'loading') {
                    this.historyStatus = { kind: 'complete' };
                }
                this.changeEmitter.fire();
            }
        }));
        return toDispose;
    }

    /**
     * Host: takes back the history kept before this tab reloaded, once the
     * room is known and before anything is posted or paged, so that ids and
     * the epoch go on as the guests know them.
     */
    private restoreHostHistory(session: CollaborationSession): void {
        const roomId = session.roomId;
        if (this.restored || roomId === undefined) {
            return;
        }
        this.restored = true;
        const kept = this.store.load(roomId);
        if (!kept || this.history.messages.length > 0) {
            return;
        }
        const history = new ChatHistory(kept.epoch);
        kept.messages.forEach(message => history.add(message));
        this.history = history;
        this.combined = undefined;
        this.contiguousId = history.newestId;
        this.changeEmitter.fire();
    }

    private postAsHost(session: CollaborationSession, authorId: string, authorName: string, text: string): ChatMessage {
        this.restoreHostHistory(session);
        const message = this.history.post({ authorId, authorName, text, time: Date.now() });
        const roomId = session.roomId;
        if (roomId !== undefined) {
            this.store.save(roomId, this.history);
        }
        this.contiguousId = message.id;
        this.combined = undefined;
        session.sendBroadcast(ChatMessagePosted, { message });
        this.changeEmitter.fire();
        if (authorId !== session.peerId) {
            this.receiveEmitter.fire(message);
        }
        return message;
    }

    private add(message: ChatMessage, live: boolean): void {
        let newEpoch = false;
        if (message.epoch !== this.history.epoch) {
            this.switchEpoch(message.epoch);
            newEpoch = true;
        }
        if (!this.history.add(message)) {
            return;
        }
        this.combined = undefined;
        if (newEpoch && this.history.messages.length === 1 && message.id > 1) {
            // The host's window came back with a new history: fetch what it has before this message.
            void this.loadHistory();
        }
        if (message.id === this.contiguousId + 1 && this.historyStatus.kind === 'complete') {
            this.contiguousId = message.id;
        }
        this.changeEmitter.fire();
        if (live && message.authorId !== this.session?.peerId) {
            this.receiveEmitter.fire(message);
        }
    }

    /** Keeps the messages so far as earlier ones (bounded) and starts a history for the host's new epoch. */
    private switchEpoch(epoch: string): void {
        if (this.history.messages.length > 0) {
            this.earlier = [...this.earlier, ...this.history.messages].slice(-MAX_CHAT_HISTORY_MESSAGES);
        }
        this.history = new ChatHistory(epoch);
        this.combined = undefined;
        this.contiguousId = 0;
    }

    private async fetchHistory(session: CollaborationSession): Promise<void> {
        this.historyStatus = { kind: 'loading' };
        this.changeEmitter.fire();
        try {
            let after = this.contiguousId;
            for (let pages = 0; pages < MAX_HISTORY_PAGES; pages++) {
                const asked = this.history.epoch;
                const page = await session.sendRequest(GetChatHistory, { after }, { type: 'host' });
                if (page.epoch !== asked || page.epoch !== this.history.epoch) {
                    // The host's history is a new one (its window reloaded): ask again from its start.
                    if (page.epoch !== this.history.epoch) {
                        this.switchEpoch(page.epoch);
                    }
                    if (after !== 0) {
                        after = 0;
                        continue;
                    }
                }
                page.messages.forEach(message => this.history.add(message));
                this.combined = undefined;
                const last = page.messages.at(-1)?.id ?? after;
                if (!page.more || last <= after) {
                    break;
                }
                after = last;
            }
            this.contiguousId = Math.max(this.contiguousId, this.history.newestId);
            this.historyStatus = { kind: 'complete' };
        } catch (error) {
            this.historyStatus = {
                kind: 'failed',
                message: `Could not load the earlier messages from the host: ${error instanceof Error ? error.message : String(error)}.`
            };
        }
        if (this.session === session) {
            this.changeEmitter.fire();
        }
    }
}

import * as assert from 'node:assert/strict';
import '../session/test/session-test-container';
import { defineRequest, jsonByteLength, RequestTimeoutError, type CollaborationSession } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { Type } from '@sinclair/typebox';
import { BuiltInStatusKeys } from '../peer-status/builtin-status-keys';
import { PeerStatusService } from '../peer-status/peer-status-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { createSessionTestContainer, MemoryStorage } from '../session/test/session-test-container';
import { CHAT_HISTORY_PAGE_BYTES, ChatMessagePosted, MAX_CHAT_HISTORY_MESSAGES, MAX_CHAT_MESSAGE_LENGTH, PostChatMessage, type ChatMessage } from './chat-messages';
import { CHAT_BURST } from './chat-rate-limit';
import { ChatHistoryStore } from './chat-history-store';
import { ChatError, ChatService } from './chat-service';

interface ChatWindow {
    readonly sessions: CollaborationSessionService;
    readonly chat: ChatService;
    readonly statuses: PeerStatusService;
}

/** What a window shows, in order: `name: text`. */
function transcript(window: ChatWindow): string[] {
    return window.chat.messages.map(message => `${message.authorName}: ${message.text}`);
}

/** A tab storage that fills up on demand (setItem then throws, as a full sessionStorage does). */
class FullingStorage extends MemoryStorage {
    full = false;
    override setItem(key: string, value: string): void {
        if (this.full) {
            throw new Error('QuotaExceededError: the storage is full');
        }
        super.setItem(key, value);
    }
}

describe('ChatService with real sessions through a real coordination server', function (): void {
    this.timeout(60_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(() => server.close());
    afterEach(() => { disposables.splice(0).reverse().forEach(item => item.dispose()); });

    /** A window (tab); give two the same storage to play a reload of the tab. */
    function newWindow(resumeStorage: MemoryStorage = new MemoryStorage()): ChatWindow {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url, resumeStorage });
        container.bind(PeerStatusService).toSelf().inSingletonScope();
        container.bind(CollaborationSessionContribution).toService(PeerStatusService);
        container.bind(ChatHistoryStore).toSelf().inSingletonScope();
        container.bind(ChatService).toSelf().inSingletonScope();
        container.bind(CollaborationSessionContribution).toService(ChatService);
        const window = { sessions: container.get(CollaborationSessionService), chat: container.get(ChatService), statuses: container.get(PeerStatusService) };
        disposables.push(window.sessions);
        return window;
    }

    async function host(name = 'Hana', storage?: MemoryStorage): Promise<{ window: ChatWindow; link: string }> {
        const window = newWindow(storage);
        const invite = await window.sessions.startSession({ displayName: name });
        window.sessions.onJoinRequest(request => { void window.sessions.answerJoinRequest(request.requestId, 'read-only'); });
        return { window, link: invite.link };
    }

    async function join(link: string, name: string): Promise<ChatWindow> {
        const window = newWindow();
        await window.sessions.joinSession({ invite: link, displayName: name });
        await eventually(() => window.chat.historyState.kind === 'complete', `${name} has the history`, 20_000);
        return window;
    }

    function sessionOf(window: ChatWindow): CollaborationSession {
        return window.sessions.session!;
    }

    it('relays messages in one order for everyone, with the names the server knows, and gives a late joiner the history', async () => {
        const { window: hana, link } = await host();
        const gus = await join(link, 'Gus');
        await Promise.all([hana.chat.send('h1'), gus.chat.send('g1'), hana.chat.send('h2'), gus.chat.send('g2\nsecond line')]);
        await eventually(() => hana.chat.messages.length === 4 && gus.chat.messages.length === 4, 'both windows have the four messages');
        assert.deepEqual(gus.chat.messages, hana.chat.messages, 'same ids, order, names, times');
        assert.deepEqual(hana.chat.messages.map(m => m.id), [1, 2, 3, 4]);
        assert.deepEqual(new Set(transcript(hana)), new Set(['Hana: h1', 'Gus: g1', 'Hana: h2', 'Gus: g2\nsecond line']));
        assert.ok(hana.chat.messages.filter(m => m.authorName === 'Gus').every(m => m.authorId === sessionOf(gus).peerId));

        const lu = await join(link, 'Lu');
        assert.deepEqual(lu.chat.messages, hana.chat.messages, 'the late joiner sees the earlier messages as everyone does');
        await lu.chat.send('hi, I am late');
        await eventually(() => [hana, gus, lu].every(window => window.chat.messages.length === 5), 'everyone has the late joiner\'s message');
        assert.deepEqual(transcript(gus).at(-1), 'Lu: hi, I am late');
        assert.equal(hana.chat.messages.at(-1)!.id, 5);
    });

    it('refuses empty and too long messages before sending; the host refuses them from peers that do not check; the session goes on', async () => {
        const { window: hana, link } = await host();
        const gus = await join(link, 'Gus');
        await assert.rejects(gus.chat.send('x'.repeat(MAX_CHAT_MESSAGE_LENGTH + 1)), (error: Error) =>
            error instanceof ChatError && /4,001 characters; the limit is 4,000/.test(error.message));
        await assert.rejects(gus.chat.send(' \n\t'), (error: Error) => error instanceof ChatError && /empty/.test(error.message));
        // A peer without these checks: whitespace passes the schema, the host's own check refuses it.
        await assert.rejects(sessionOf(gus).sendRequest(PostChatMessage, { text: '   ' }, { type: 'host' }), /empty/);
        // A peer with a looser schema of its own: the oversized text never reaches the host's history.
        const LoosePost = defineRequest(PostChatMessage.method, Type.Object({ text: Type.String() }), Type.Unknown());
        await assert.rejects(sessionOf(gus).sendRequest(LoosePost, { text: 'y'.repeat(MAX_CHAT_MESSAGE_LENGTH + 10) }, { type: 'host' }, { timeoutMs: 10_000 }));
        assert.equal(hana.chat.messages.length, 0);
        await gus.chat.send('still here');
        await eventually(() => transcript(hana).join() === 'Gus: still here', 'the host has the next valid message');
    });

    it('slows down a guest that posts too fast; what was refused says so, and nothing else is lost', async () => {
        const { window: hana, link } = await host();
        const gus = await join(link, 'Gus');
        const results = await Promise.allSettled(Array.from({ length: 3 * CHAT_BURST }, (_, i) => gus.chat.send(`flood ${i}`)));
        const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        const accepted = results.length - refused.length;
        assert.ok(accepted >= CHAT_BURST && refused.length > 0, `${accepted} accepted, ${refused.length} refused`);
        assert.ok(refused.every(result => result.reason instanceof ChatError && /faster than the host accepts/.test(result.reason.message)));
        await eventually(() => gus.chat.messages.length === accepted && hana.chat.messages.length === accepted, 'every accepted message everywhere');
        assert.deepEqual(gus.chat.messages, hana.chat.messages);
    });

    it('posts once a message whose answer was lost and that the guest sends again; another guest\'s post id is its own', async () => {
        const { window: hana, link } = await host();
        const gus = await join(link, 'Gus');
        const lu = await join(link, 'Lu');
        // The post reaches the host, its answer does not (as when it times out on a slow link).
        const session = sessionOf(gus);
        const realSendRequest = session.sendRequest.bind(session);
        let dropped: unknown;
        session.sendRequest = (async (...args: Parameters<CollaborationSession['sendRequest']>) => {
            session.sendRequest = realSendRequest;
            dropped = await realSendRequest(...args);
            throw new RequestTimeoutError(PostChatMessage.method, 15_000);
        }) as CollaborationSession['sendRequest'];
        await assert.rejects(gus.chat.send('did this arrive?'), (error: Error) => error instanceof ChatError && /may not have reached it; send it again/.test(error.message));
        assert.ok(dropped, 'the first post reached the host');
        await eventually(() => hana.chat.messages.length === 1, 'the host has the post');
        const again = await gus.chat.send('did this arrive?');
        assert.deepEqual(again, hana.chat.messages[0], 'sent again, the post is answered with the message it made');
        await gus.chat.send('did this arrive?');
        await eventually(() => [hana, gus, lu].every(window => window.chat.messages.length === 2), 'a new post of the same text after success is a new message');
        assert.deepEqual(transcript(lu), ['Gus: did this arrive?', 'Gus: did this arrive?']);

        // Post ids are per guest: another guest's id posts that guest's own message.
        const { message: first } = await sessionOf(gus).sendRequest(PostChatMessage, { text: 'mine', postId: 'same-id' }, { type: 'host' });
        const { message: repeat } = await sessionOf(gus).sendRequest(PostChatMessage, { text: 'mine', postId: 'same-id' }, { type: 'host' });
        const { message: luMessage } = await sessionOf(lu).sendRequest(PostChatMessage, { text: 'not yours', postId: 'same-id' }, { type: 'host' });
        assert.deepEqual(repeat, first);
        assert.equal(luMessage.authorName, 'Lu');
        assert.equal(luMessage.text, 'not yours');
        await eventually(() => hana.chat.messages.length === 4 && lu.chat.messages.length === 4, 'one message per post');
        assert.deepEqual(transcript(hana).slice(2), ['Gus: mine', 'Lu: not yours']);
    });

    it('ignores chat messages a guest broadcasts itself, whatever name they claim', async () => {
        const { window: hana, link } = await host();
        const gus = await join(link, 'Gus');
        const lu = await join(link, 'Lu');
        const forged: ChatMessage = { epoch: hana.chat.messages[0]?.epoch ?? 'forged', id: 1, authorId: sessionOf(hana).peerId!, authorName: 'Hana', text: 'forged', time: Date.now() };
        sessionOf(gus).sendBroadcast(ChatMessagePosted, { message: forged });
        await gus.chat.send('real');
        await eventually(() => lu.chat.messages.length === 1 && hana.chat.messages.length === 1, 'the real message arrives');
        for (const window of [hana, gus, lu]) {
            assert.deepEqual(transcript(window), ['Gus: real']);
        }
    });

    /** The host's tab reloads: the window goes away, a new one with the same storage resumes the session. */
    async function reload(window: ChatWindow, storage: MemoryStorage): Promise<ChatWindow> {
        window.sessions.dispose();
        const again = newWindow(storage);
        assert.equal(await again.sessions.resumeSession(), true, 'the reloaded window resumes the session');
        again.sessions.onJoinRequest(request => { void again.sessions.answerJoinRequest(request.requestId, 'read-write'); });
        return again;
    }

    /** Hana hosts (her tab's storage returned, to reload it) and chats with Gus: one message each. */
    async function chatBeforeReload(): Promise<{ storage: MemoryStorage; hana: ChatWindow; gus: ChatWindow; link: string }> {
        const storage = new MemoryStorage();
        const { window: hana, link } = await host('Hana', storage);
        const gus = await join(link, 'Gus');
        await hana.chat.send('before 1');
        await gus.chat.send('before 2');
        await eventually(() => gus.chat.messages.length === 2 && hana.chat.messages.length === 2, 'both have both messages');
        return { storage, hana, gus, link };
    }

    it('a host window that reloads keeps its history: earlier messages shown, ids and epoch go on, late joiners get them all', async () => {
        const { storage, hana, gus, link } = await chatBeforeReload();
        const epoch = hana.chat.messages[0].epoch;

        const reloaded = await reload(hana, storage);
        const all = ['Hana: before 1', 'Gus: before 2', 'Hana: after 1', 'Gus: after 2'];
        assert.deepEqual(transcript(reloaded), all.slice(0, 2), 'the reloaded host shows the earlier messages at once');
        await eventually(() => gus.sessions.state.kind === 'joined', 'Gus is back with the host');
        await reloaded.chat.send('after 1');
        await gus.chat.send('after 2');
        await eventually(() => transcript(gus).length === 4 && reloaded.chat.messages.length === 4, 'both see the new messages');
        assert.deepEqual(transcript(gus), all);
        assert.deepEqual(transcript(reloaded), all);
        assert.deepEqual(reloaded.chat.messages.map(m => [m.epoch, m.id]), [[epoch, 1], [epoch, 2], [epoch, 3], [epoch, 4]], 'one history goes on');
        assert.deepEqual(gus.chat.messages, reloaded.chat.messages);
        const lu = await join(link, 'Lu');
        assert.deepEqual(transcript(lu), all, 'a late joiner gets the messages from before the reload too');
    });

    it('a host window that comes back without its history (its tab\'s storage was cleared) loses none of the guests\' messages', async () => {
        const { storage, hana, gus, link } = await chatBeforeReload();

        storage.removeItem('ensemble.chat-history');
        const reloaded = await reload(hana, storage);
        await eventually(() => gus.sessions.state.kind === 'joined', 'Gus is back with the host');
        await reloaded.chat.send('after 1');
        await gus.chat.send('after 2');
        await eventually(() => transcript(gus).length === 4 && reloaded.chat.messages.length === 2, 'both see the new messages');
        assert.deepEqual(transcript(gus), ['Hana: before 1', 'Gus: before 2', 'Hana: after 1', 'Gus: after 2']);
        assert.deepEqual(transcript(reloaded), ['Hana: after 1', 'Gus: after 2']);
        const lu = await join(link, 'Lu');
        assert.deepEqual(transcript(lu), ['Hana: after 1', 'Gus: after 2'], 'a late joiner gets what the host has now');
    });

    it('keeps no outdated copy when the tab\'s storage is full: a reload would otherwise bring back ids the guests know for other messages', async () => {
        const storage = new FullingStorage();
        const { window: hana } = await host('Hana', storage);
        await hana.chat.send('kept');
        assert.ok(storage.getItem('ensemble.chat-history')?.includes('kept'));
        storage.full = true;
        await hana.chat.send('not kept');
        assert.equal(storage.getItem('ensemble.chat-history'), null);
    });

    it('forgets the kept history when the session ends for good', async () => {
        const storage = new MemoryStorage();
        const { window: hana } = await host('Hana', storage);
        await hana.chat.send('hello');
        assert.ok(storage.getItem('ensemble.chat-history')?.includes('hello'), 'kept while the session runs');
        await hana.sessions.endSession();
        assert.equal(storage.getItem('ensemble.chat-history'), null);
    });

    it('bounds the history: a late joiner gets the newest messages, in several pages, exactly as the host has them', async () => {
        const { window: hana, link } = await host();
        const total = MAX_CHAT_HISTORY_MESSAGES + 10;
        for (let i = 1; i <= total; i++) {
            // The last 150 are long: together more than two pages (256 KiB each) of history.
            await hana.chat.send(i > total - 150 ? `${i} ${'z'.repeat(MAX_CHAT_MESSAGE_LENGTH - 10)}` : `short ${i}`);
        }
        assert.equal(hana.chat.messages.length, MAX_CHAT_HISTORY_MESSAGES);
        assert.equal(hana.chat.messages[0].id, 11);
        assert.ok(jsonByteLength(hana.chat.messages) > 2 * CHAT_HISTORY_PAGE_BYTES, 'the history takes three pages or more');
        const late = await join(link, 'Late');
        assert.equal(late.chat.messages.length, MAX_CHAT_HISTORY_MESSAGES);
        assert.deepEqual(late.chat.messages.map(m => m.id), hana.chat.messages.map(m => m.id));
        assert.deepEqual(late.chat.messages, hana.chat.messages);
    });

    it('shows who is typing through the status, and clears it when the message is sent', async () => {
        const { window: hana, link } = await host();
        const gus = await join(link, 'Gus');
        gus.chat.noteTyping();
        await eventually(() => hana.chat.typingNames().join() === 'Gus', 'the host sees Gus typing');
        assert.equal(hana.statuses.valueOf(sessionOf(gus).peerId!, BuiltInStatusKeys.chatTyping), true);
        assert.deepEqual(gus.chat.typingNames(), [], 'nobody sees themselves typing');
        await gus.chat.send('done');
        await eventually(() => hana.chat.typingNames().length === 0, 'Gus no longer counts as typing');
    });
});

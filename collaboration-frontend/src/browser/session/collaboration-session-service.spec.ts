import * as assert from 'node:assert/strict';
import './test/session-test-container';
import { CollaborationSession, createRoom, type PeerStatus } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import type { Container } from '@theia/core/shared/inversify';
import { Disposable } from '@theia/core/lib/common/disposable';
import { CollaborationSessionService, SessionFailedError, SessionStateError } from './collaboration-session-service';
import type { CollaborationSessionContribution, SessionContext } from './session-contribution';
import type { CollaborationState } from './session-state';
import { createSessionTestContainer, MemoryStorage, type TestContainerOptions } from './test/session-test-container';
import { parseInvite } from './invite-link';

/** A contribution that records what it was given and whether it was cleaned up. */
class RecordingContribution implements CollaborationSessionContribution {
    readonly contexts: SessionContext[] = [];
    readonly stateAtStart: string[] = [];
    disposed = 0;
    onSessionStarting(context: SessionContext): Disposable {
        this.contexts.push(context);
        this.stateAtStart.push(context.session.state);
        return Disposable.create(() => { this.disposed++; });
    }
}

describe('CollaborationSessionService against a real coordination server', function (): void {
    this.timeout(20_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer({ hostGracePeriodMs: 1500, statusTtlMs: 600 }); });
    after(() => server.close());
    afterEach(() => { disposables.splice(0).reverse().forEach(item => item.dispose()); });

    function newService(options: Partial<TestContainerOptions> = {}): { service: CollaborationSessionService; container: Container; states: CollaborationState[] } {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url, ...options });
        const service = container.get(CollaborationSessionService);
        const states: CollaborationState[] = [];
        service.onDidChangeState(state => states.push(state));
        disposables.push(service);
        return { service, container, states };
    }

    /** Host and guest services, the guest admitted with `decision`. */
    async function hostAndGuest(decision: 'read-write' | 'read-only' = 'read-write'): Promise<{
        host: CollaborationSessionService; guest: CollaborationSessionService; guestStates: CollaborationState[]; link: string;
    }> {
        const { service: host } = newService();
        const invite = await host.startSession({ displayName: 'Hana' });
        const { service: guest, states: guestStates } = newService();
        host.onJoinRequest(request => { host.answerJoinRequest(request.requestId, decision); });
        await guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        await eventually(() => host.state.kind === 'hosting' && host.state.guests === 1, 'the host counts one guest');
        return { host, guest, guestStates, link: invite.link };
    }

    it('starts a session: connecting, then hosting; features run before the connection; the invite names the server', async () => {
        const feature = new RecordingContribution();
        const { service, states } = newService({ contributions: [feature] });
        const invite = await service.startSession({ displayName: '  Hana ' });
        assert.deepEqual(states.map(state => state.kind), ['connecting', 'hosting']);
        assert.deepEqual(service.state, { kind: 'hosting', guests: 0, pendingRequests: 0 });
        assert.equal(invite.serverUrl, server.url);
        assert.equal(invite.link, `${server.url}/invite/${invite.code}`);
        assert.deepEqual(parseInvite(invite.link), { code: invite.code, serverUrl: server.url });
        assert.deepEqual(feature.stateAtStart, ['idle']);
        assert.equal(feature.contexts[0].isHost, true);
        assert.equal(feature.contexts[0].serverUrl, server.url);
        assert.equal(feature.contexts[0].session, service.session);
        assert.equal(service.isHost, true);
        const [me] = service.participants;
        assert.equal(me.name, 'Hana');
        assert.equal(me.role, 'host');
        assert.ok(me.isSelf);
        await eventually(() => service.session?.statuses.get(me.peerId)?.status.name === 'Hana', 'the host publishes its status');
        assert.match(String(service.ownStatus.color), /^#[0-9a-f]{6}$/);
    });

    it('joins with a link: waiting for the host, then joined read-only; both see each other with distinct colours', async () => {
        const { service: host } = newService();
        const invite = await host.startSession({ displayName: 'Hana' });
        const feature = new RecordingContribution();
        const { service: guest, states } = newService({ contributions: [feature] });
        const request = new Promise<string>(resolve => host.onJoinRequest(r => resolve(r.requestId)));
        const joining = guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        const requestId = await request;
        assert.equal(guest.state.kind, 'waiting-for-host');
        assert.deepEqual(host.joinRequests.map(r => r.displayName), ['Gus']);
        assert.deepEqual(host.state, { kind: 'hosting', guests: 0, pendingRequests: 1 });
        await host.answerJoinRequest(requestId, 'read-only');
        await joining;
        assert.deepEqual(states.map(state => state.kind), ['connecting', 'waiting-for-host', 'joined']);
        assert.deepEqual(guest.state, { kind: 'joined', role: 'read-only' });
        assert.equal(feature.contexts[0].isHost, false);
        assert.deepEqual(feature.stateAtStart, ['idle']);
        await eventually(() => host.state.kind === 'hosting' && host.state.guests === 1 && host.state.pendingRequests === 0, 'the host counts the guest');
        await eventually(() => host.participants.length === 2 && guest.participants.length === 2
            && guest.participants.every(p => guest.session!.statuses.has(p.peerId)), 'both see both, with statuses');
        assert.deepEqual(host.participants.map(p => [p.name, p.role, p.isSelf]), [['Hana', 'host', true], ['Gus', 'read-only', false]]);
        assert.deepEqual(guest.participants.map(p => [p.name, p.role, p.isSelf]), [['Hana', 'host', false], ['Gus', 'read-only', true]]);
        const colors = guest.participants.map(p => p.color);
        assert.notEqual(colors[0], colors[1]);
        assert.deepEqual(host.participants.map(p => p.color), colors);
    });

    it('joins with a bare code through the configured server', async () => {
        const room = await createRoom({ serverUrl: server.url, hostName: 'Raw host' });
        const rawHost = new CollaborationSession({ serverUrl: server.url });
        disposables.push(rawHost);
        rawHost.onJoinRequest(request => { rawHost.answerJoinRequest(request.requestId, 'read-write'); });
        await rawHost.connect(room.hostToken);
        const { service: guest } = newService({ embeddedServerUrl: 'http://127.0.0.1:9', preferences: { 'collaboration.serverUrl': `${server.url}/` } });
        await guest.joinSession({ invite: room.inviteCode, displayName: 'Coder' });
        assert.deepEqual(guest.state, { kind: 'joined', role: 'read-write' });
        assert.equal(guest.serverUrl, server.url);
    });

    it('tells a denied guest, and cleans up its features', async () => {
        const { service: host } = newService();
        const invite = await host.startSession({ displayName: 'Hana' });
        host.onJoinRequest(request => { host.answerJoinRequest(request.requestId, 'deny'); });
        const feature = new RecordingContribution();
        const { service: guest } = newService({ contributions: [feature] });
        await assert.rejects(guest.joinSession({ invite: invite.link, displayName: 'Eve' }),
            (error: unknown) => error instanceof SessionFailedError && error.end.reason === 'denied');
        assert.equal(guest.state.kind, 'closed');
        assert.match((guest.state as { message: string }).message, /The host declined your request to join\. Ask the host/);
        assert.equal(feature.disposed, 1);
        assert.equal(guest.session, undefined);
    });

    it('says so when the server cannot be reached', async () => {
        const { service } = newService({ preferences: { 'collaboration.serverUrl': 'http://127.0.0.1:9' } });
        await assert.rejects(service.startSession({ displayName: 'Hana' }), SessionFailedError);
        assert.equal(service.state.kind, 'closed');
        const state = service.state as Extract<CollaborationState, { kind: 'closed' }>;
        assert.equal(state.reason, 'server-unreachable');
        assert.match(state.message, /http:\/\/127\.0\.0\.1:9 cannot be reached\. Check that it runs/);
        const { service: guest } = newService();
        await assert.rejects(guest.joinSession({ invite: 'http://127.0.0.1:9/invite/ABCD-EFGH-JKLM', displayName: 'Gus' }), SessionFailedError);
        assert.match((guest.state as { message: string }).message, /the invite link \(or, for a bare code, the preference collaboration\.serverUrl\) points to it/);
    });

    it('says what is wrong with an unusable collaboration.serverUrl', async () => {
        const { service } = newService({ preferences: { 'collaboration.serverUrl': 'collab.example.org' } });
        await assert.rejects(service.startSession({ displayName: 'Hana' }), SessionFailedError);
        assert.match((service.state as { message: string }).message,
            /^Could not start the session: The preference collaboration\.serverUrl \("collab\.example\.org"\) is not usable: .*clear it to use the server built into this application\.$/);
    });

    it('says so when the invite code is unknown, and rejects a malformed invite without changing state', async () => {
        const { service } = newService();
        await assert.rejects(service.joinSession({ invite: 'NOPE-NOPE-NOPE', displayName: 'Gus' }), SessionFailedError);
        const state = service.state as Extract<CollaborationState, { kind: 'closed' }>;
        assert.equal(state.reason, 'room-not-found');
        assert.match(state.message, /no session with this invite is running/);
        const { service: fresh } = newService();
        await assert.rejects(fresh.joinSession({ invite: 'not an invite!', displayName: 'Gus' }), /neither an invite link/);
        assert.equal(fresh.state.kind, 'off');
    });

    it('refuses to start a second session while one runs', async () => {
        const { service } = newService();
        await service.startSession({ displayName: 'Hana' });
        await assert.rejects(service.startSession({ displayName: 'Hana' }), SessionStateError);
        await assert.rejects(service.leaveSession(), /You host this session: end it/);
    });

    it('lets the host change a guest\'s permission, and the guest sees its new role', async () => {
        const { host, guest } = await hostAndGuest('read-only');
        const guestId = guest.session!.peerId!;
        await host.setPeerRole(guestId, 'read-write');
        await eventually(() => guest.state.kind === 'joined' && guest.state.role === 'read-write', 'the guest becomes read-write');
        await eventually(() => host.participants.find(p => p.peerId === guestId)?.role === 'read-write', 'the host lists it');
    });

    it('removes a guest: the guest is told why and its features are cleaned up', async () => {
        const { service: host } = newService();
        const invite = await host.startSession({ displayName: 'Hana' });
        host.onJoinRequest(request => { host.answerJoinRequest(request.requestId, 'read-write'); });
        const feature = new RecordingContribution();
        const { service: guest } = newService({ contributions: [feature] });
        await guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        await host.removePeer(guest.session!.peerId!);
        await eventually(() => guest.state.kind === 'closed', 'the guest session closes');
        assert.equal((guest.state as { reason: string }).reason, 'removed');
        assert.match((guest.state as { message: string }).message, /^The host removed you from the session\. Ask the host/);
        assert.equal(feature.disposed, 1);
        await eventually(() => host.state.kind === 'hosting' && host.state.guests === 0, 'the host counts no guest');
    });

    it('ends the session: the host sees it ended, the guest is told the host ended it', async () => {
        const { host, guest } = await hostAndGuest();
        await host.endSession();
        assert.deepEqual(host.state, { kind: 'closed', reason: 'ended', message: 'You ended the session; every guest was told.' });
        await eventually(() => guest.state.kind === 'closed', 'the guest session closes');
        assert.equal((guest.state as { reason: string }).reason, 'ended-by-host');
        assert.match((guest.state as { message: string }).message, /^The host ended the session\. Ask the host for a new invite/);
        // A new session can start after the old one closed.
        const invite = await host.startSession({ displayName: 'Hana' });
        assert.ok(invite.code);
    });

    it('lets a guest leave; the host then counts no guest', async () => {
        const { host, guest } = await hostAndGuest();
        await guest.leaveSession();
        assert.deepEqual(guest.state, { kind: 'closed', reason: 'left', message: 'You left the session.' });
        await eventually(() => host.state.kind === 'hosting' && host.state.guests === 0, 'the host counts no guest');
    });

    it('cancels waiting for the host: the request is withdrawn on the host\'s side', async () => {
        const { service: host } = newService();
        const invite = await host.startSession({ displayName: 'Hana' });
        const { service: guest } = newService();
        const joining = guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        await eventually(() => host.joinRequests.length === 1, 'the request arrives');
        await guest.leaveSession();
        await assert.rejects(joining, (error: unknown) => error instanceof SessionFailedError && error.end.reason === 'join-cancelled');
        assert.equal((guest.state as { reason: string }).reason, 'join-cancelled');
        await eventually(() => host.joinRequests.length === 0, 'the request is withdrawn');
    });

    it('shows the host away with the grace deadline, and back when it returns', async () => {
        const room = await createRoom({ serverUrl: server.url, hostName: 'Raw host' });
        const rawHost = new CollaborationSession({ serverUrl: server.url });
        rawHost.onJoinRequest(request => { rawHost.answerJoinRequest(request.requestId, 'read-write'); });
        await rawHost.connect(room.hostToken);
        const { service: guest } = newService();
        await guest.joinSession({ invite: `${server.url}/invite/${room.inviteCode}`, displayName: 'Gus' });
        rawHost.dispose();
        await eventually(() => guest.state.kind === 'reconnecting', 'the guest sees the host away');
        const away = guest.state as Extract<CollaborationState, { kind: 'reconnecting' }>;
        assert.equal(away.cause, 'host-away');
        assert.ok(away.hostGraceEndsAt && away.hostGraceEndsAt > Date.now() - 1000, 'a grace deadline');
        const back = new CollaborationSession({ serverUrl: server.url });
        disposables.push(back);
        await back.connect(room.hostToken);
        await eventually(() => guest.state.kind === 'joined', 'the guest sees the host back');
    });

    it('closes with host-timeout when the host stays away past the grace period', async () => {
        const room = await createRoom({ serverUrl: server.url, hostName: 'Raw host' });
        const rawHost = new CollaborationSession({ serverUrl: server.url });
        rawHost.onJoinRequest(request => { rawHost.answerJoinRequest(request.requestId, 'read-write'); });
        await rawHost.connect(room.hostToken);
        const { service: guest } = newService();
        await guest.joinSession({ invite: `${server.url}/invite/${room.inviteCode}`, displayName: 'Gus' });
        rawHost.dispose();
        await eventually(() => guest.state.kind === 'closed', 'the room ends', 10_000);
        assert.equal((guest.state as { reason: string }).reason, 'host-timeout');
        assert.match((guest.state as { message: string }).message, /did not come back in time.*Ask the host to start a new session/);
    });

    it('publishes status keys (active document, following), and drops a status when it expires', async () => {
        const { host, guest } = await hostAndGuest();
        const hostId = host.session!.peerId!;
        const guestId = guest.session!.peerId!;
        guest.updateOwnStatus({ activeDocument: 'src/index.ts' });
        await eventually(() => host.participants.find(p => p.peerId === guestId)?.activeDocument === 'src/index.ts', 'the host sees the guest\'s file');
        const follows: Array<string | undefined> = [];
        guest.onDidChangeFollowing(change => follows.push(change.peerId));
        guest.follow(hostId);
        assert.equal(guest.followedPeerId, hostId);
        await eventually(() => host.participants.find(p => p.peerId === guestId)?.following === hostId, 'the host sees it is followed');
        guest.follow(undefined);
        assert.deepEqual(follows, [hostId, undefined]);
        assert.throws(() => guest.follow('nobody'), SessionStateError);

        // A peer that stops renewing its status (statusTtlMs is 600 ms here) loses it: file and colour disappear.
        const quiet = new CollaborationSession({ serverUrl: server.url, statusRenewIntervalMs: 3_600_000 });
        disposables.push(quiet);
        // hostAndGuest's handler admits it.
        await quiet.join({ inviteCode: host.invite!.code, displayName: 'Quiet' });
        await quiet.setStatus({ name: 'Quiet', color: '#123456', activeDocument: 'README.md' } as PeerStatus);
        await eventually(() => host.participants.find(p => p.name === 'Quiet')?.activeDocument === 'README.md', 'the status arrives');
        let changes = 0;
        host.onDidChangeParticipants(() => changes++);
        await eventually(() => host.participants.find(p => p.name === 'Quiet')?.activeDocument === undefined, 'the status expires', 10_000);
        assert.ok(changes > 0);
        assert.notEqual(host.participants.find(p => p.name === 'Quiet')?.color, '#123456');
    });

    it('stops following a peer that leaves', async () => {
        const { host, guest } = await hostAndGuest();
        host.follow(guest.session!.peerId!);
        await guest.leaveSession();
        await eventually(() => host.followedPeerId === undefined, 'following stops');
    });

    it('keeps the session when a feature fails to start, and reports the feature', async () => {
        const failing: CollaborationSessionContribution = { onSessionStarting: () => { throw new Error('boom'); } };
        const working = new RecordingContribution();
        const { service } = newService({ contributions: [failing, working] });
        const failures: string[] = [];
        service.onDidFailFeature(failure => failures.push(String((failure.error as Error).message)));
        await service.startSession({ displayName: 'Hana' });
        assert.equal(service.state.kind, 'hosting');
        assert.deepEqual(failures, ['boom']);
        assert.equal(working.contexts.length, 1);
        await service.endSession();
        assert.equal(working.disposed, 1);
    });

    it('takes a reloaded host and a reloaded guest back into their session, as the same peers, without asking again', async () => {
        const hostTab = new MemoryStorage();
        const guestTab = new MemoryStorage();
        const { service: host } = newService({ resumeStorage: hostTab });
        const invite = await host.startSession({ displayName: 'Hana' });
        let asked = 0;
        host.onJoinRequest(request => { asked++; host.answerJoinRequest(request.requestId, 'read-only'); });
        const { service: guest } = newService({ resumeStorage: guestTab });
        await guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        const hostId = host.session!.peerId!;
        const guestId = guest.session!.peerId!;

        // Reload of the host's tab: the window goes away, a new one starts with the same tab storage.
        host.dispose();
        await eventually(() => guest.state.kind === 'reconnecting', 'the guest sees the host away');
        const feature = new RecordingContribution();
        const { service: reloadedHost, states } = newService({ resumeStorage: hostTab, contributions: [feature] });
        assert.equal(await reloadedHost.resumeSession(), true);
        assert.deepEqual(states.map(state => state.kind), ['connecting', 'hosting']);
        assert.equal(reloadedHost.session!.peerId, hostId, 'the same host peer');
        assert.equal(reloadedHost.invite?.link, invite.link, 'the invite is still known');
        assert.equal(feature.contexts[0]?.isHost, true, 'features start for the resumed session');
        await eventually(() => guest.state.kind === 'joined', 'the guest sees the host back');

        // Reload of the guest's tab.
        guest.dispose();
        const { service: reloadedGuest } = newService({ resumeStorage: guestTab });
        assert.equal(await reloadedGuest.resumeSession(), true);
        assert.equal(reloadedGuest.session!.peerId, guestId, 'the same guest peer');
        assert.deepEqual(reloadedGuest.state, { kind: 'joined', role: 'read-only' });
        assert.equal(asked, 1, 'the host was asked once, at the first join');
        await eventually(() => reloadedHost.participants.find(p => p.peerId === guestId)?.name === 'Gus', 'the host sees the guest again');

        // Leaving on purpose is for good: the next reload finds nothing.
        await reloadedGuest.leaveSession();
        const { service: afterLeave } = newService({ resumeStorage: guestTab });
        assert.equal(await afterLeave.resumeSession(), false);
        assert.equal(afterLeave.state.kind, 'off');
    });

    it('says so when a reloaded window cannot go back (the session ended meanwhile), and does not try again', async () => {
        const guestTab = new MemoryStorage();
        const { host, guest } = await (async () => {
            const { service: hostService } = newService();
            const invite = await hostService.startSession({ displayName: 'Hana' });
            hostService.onJoinRequest(request => { hostService.answerJoinRequest(request.requestId, 'read-write'); });
            const { service: guestService } = newService({ resumeStorage: guestTab });
            await guestService.joinSession({ invite: invite.link, displayName: 'Gus' });
            return { host: hostService, guest: guestService };
        })();
        guest.dispose();
        await host.endSession();
        const { service: reloaded } = newService({ resumeStorage: guestTab });
        await assert.rejects(reloaded.resumeSession(), SessionFailedError);
        assert.equal(reloaded.state.kind, 'closed');
        assert.match((reloaded.state as { message: string }).message, /^Could not rejoin the session after the reload/);
        const { service: again } = newService({ resumeStorage: guestTab });
        assert.equal(await again.resumeSession(), false, 'the record is gone');
    });
});

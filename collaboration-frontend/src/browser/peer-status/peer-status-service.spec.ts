import * as assert from 'node:assert/strict';
import '../session/test/session-test-container';
import { MAX_PEER_STATUS_BYTES } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { createSessionTestContainer } from '../session/test/session-test-container';
import { PeerStatusError, PeerStatusService, type PeerStatusChange } from './peer-status-service';

describe('PeerStatusService with real sessions through a real coordination server', function (): void {
    this.timeout(30_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(() => server.close());
    afterEach(() => { disposables.splice(0).reverse().forEach(item => item.dispose()); });

    function newWindow(): { sessions: CollaborationSessionService; statuses: PeerStatusService } {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url });
        container.bind(PeerStatusService).toSelf().inSingletonScope();
        container.bind(CollaborationSessionContribution).toService(PeerStatusService);
        const window = { sessions: container.get(CollaborationSessionService), statuses: container.get(PeerStatusService) };
        disposables.push(window.sessions);
        return window;
    }

    it('publishes extension keys merged into the status; others read them and hear of changes; bad keys and sizes change nothing', async () => {
        const host = newWindow();
        host.statuses.setStatusKey('acme.build', { running: true, target: 'all' }); // before the session: published on connect
        const invite = await host.sessions.startSession({ displayName: 'Hana' });
        host.sessions.onJoinRequest(request => { void host.sessions.answerJoinRequest(request.requestId, 'read-write'); });
        const guest = newWindow();
        const changes: PeerStatusChange[] = [];
        guest.statuses.onDidChangeStatus(change => changes.push(change));
        await guest.sessions.joinSession({ invite: invite.link, displayName: 'Gus' });
        const hostId = host.sessions.session!.peerId!;
        await eventually(() => JSON.stringify(guest.statuses.valueOf(hostId, 'acme.build')) === '{"running":true,"target":"all"}', 'the guest reads the host\'s key');
        assert.equal(guest.statuses.statusOf(hostId)?.name, 'Hana', 'merged with the name, not instead of it');

        assert.throws(() => host.statuses.setStatusKey('color', '#000000'), PeerStatusError, 'the session\'s own keys are not for extensions');
        assert.throws(() => host.statuses.setStatusKey('acme build', 1), /namespaced/);
        assert.throws(() => host.statuses.setStatusKey('acme.big', 'x'.repeat(MAX_PEER_STATUS_BYTES)), /was not set.*at most 16384/);
        assert.equal(host.statuses.ownValue('acme.big'), undefined);

        changes.length = 0;
        host.statuses.setStatusKey('acme.build', { running: false, target: 'all' });
        await eventually(() => (guest.statuses.valueOf(hostId, 'acme.build') as { running?: boolean } | undefined)?.running === false, 'the change arrives');
        assert.ok(changes.some(change => change.peerId === hostId), 'onDidChangeStatus fired for the host');
        host.statuses.removeStatusKey('acme.build');
        await eventually(() => guest.statuses.valueOf(hostId, 'acme.build') === undefined, 'the removal arrives');
        assert.equal(guest.statuses.statusOf(hostId)?.name, 'Hana');
    });

    it('keeps this window\'s keys for its next session', async () => {
        const host = newWindow();
        await host.sessions.startSession({ displayName: 'Hana' });
        host.statuses.setStatusKey('acme.debugging', true);
        await host.sessions.endSession();
        await host.sessions.startSession({ displayName: 'Hana' });
        const session = host.sessions.session!;
        await eventually(() => (session.statuses.get(session.peerId!)?.status as Record<string, unknown> | undefined)?.['acme.debugging'] === true, 'the key is in the new session\'s status');
    });
});

import '../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { CollaborationSessionContribution } from '../session/session-contribution';
import { createSessionTestContainer } from '../session/test/session-test-container';
import { BuiltInStatusKeys, describeActivities } from './builtin-status-keys';
import { PeerStatusService } from './peer-status-service';
import { WindowAwayStatus } from './window-away-status';

describe('WindowAwayStatus (jsdom, real sessions)', function (): void {
    this.timeout(30_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(() => server.close());
    afterEach(() => {
        disposables.splice(0).reverse().forEach(item => item.dispose());
        // The DOM is shared with every other suite: give the document its own visibilityState back.
        delete (document as { visibilityState?: DocumentVisibilityState }).visibilityState;
    });

    function setVisibility(state: DocumentVisibilityState): void {
        Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
        document.dispatchEvent(new document.defaultView!.Event('visibilitychange')); // jsdom's Event, not Node's
    }

    function newWindow(withAway: boolean): { sessions: CollaborationSessionService; statuses: PeerStatusService } {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url });
        container.bind(PeerStatusService).toSelf().inSingletonScope();
        container.bind(CollaborationSessionContribution).toService(PeerStatusService);
        if (withAway) {
            container.bind(WindowAwayStatus).toSelf().inSingletonScope();
            container.bind(CollaborationSessionContribution).toService(WindowAwayStatus);
        }
        const window = { sessions: container.get(CollaborationSessionService), statuses: container.get(PeerStatusService) };
        disposables.push(window.sessions);
        return window;
    }

    it('marks the peer away while its window is hidden, and back when it shows again', async () => {
        const host = newWindow(true);
        const invite = await host.sessions.startSession({ displayName: 'Hana' });
        host.sessions.onJoinRequest(request => { void host.sessions.answerJoinRequest(request.requestId, 'read-write'); });
        const guest = newWindow(false);
        await guest.sessions.joinSession({ invite: invite.link, displayName: 'Gus' });
        const hostId = host.sessions.session!.peerId!;
        await eventually(() => guest.statuses.statusOf(hostId)?.name === 'Hana', 'the guest has the host\'s status');
        assert.deepEqual(describeActivities(guest.statuses.statusOf(hostId)), []);
        setVisibility('hidden');
        await eventually(() => guest.statuses.valueOf(hostId, BuiltInStatusKeys.away) === true, 'the host shows as away');
        assert.deepEqual(describeActivities(guest.statuses.statusOf(hostId)), ['away']);
        setVisibility('visible');
        await eventually(() => guest.statuses.valueOf(hostId, BuiltInStatusKeys.away) === undefined, 'the host is back');
    });
});

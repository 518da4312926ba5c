import * as assert from 'node:assert/strict';
import '../session/test/session-test-container';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { CollaborationSessionService, SessionFailedError } from '../session/collaboration-session-service';
import { createSessionTestContainer, recordedMessages, type TestContainerOptions } from '../session/test/session-test-container';
import { JoinApprovalService } from './join-approval-service';

describe('JoinApprovalService: preferences and notifications against a real server', function (): void {
    this.timeout(20_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(() => server.close());
    afterEach(() => { disposables.splice(0).reverse().forEach(item => item.dispose()); });

    function newHost(preferences: TestContainerOptions['preferences'] = {}): { service: CollaborationSessionService; messages: ReturnType<typeof recordedMessages> } {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url, preferences });
        container.get(JoinApprovalService); // listens from creation, as at application start
        const service = container.get(CollaborationSessionService);
        disposables.push(service);
        return { service, messages: recordedMessages(container) };
    }

    function newGuest(): CollaborationSessionService {
        const service = createSessionTestContainer({ embeddedServerUrl: server.url }).get(CollaborationSessionService);
        disposables.push(service);
        return service;
    }

    it('auto-accepts read-only with collaboration.autoAccept, without asking, and says so', async () => {
        const { service: host, messages } = newHost({ 'collaboration.autoAccept': 'read-only' });
        const invite = await host.startSession({ displayName: 'Hana' });
        const guest = newGuest();
        await guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        assert.deepEqual(guest.state, { kind: 'joined', role: 'read-only' });
        await eventually(() => messages.shown.some(m => /^Gus joined your session \(read-only\), accepted automatically by the preference collaboration\.autoAccept\.$/.test(m.text)),
            'the host is told');
        assert.equal(messages.shown.filter(m => m.kind === 'progress').length, 0, 'no question asked');
    });

    it('admits allow-listed names read-write and asks about the others', async () => {
        const { service: host, messages } = newHost({ 'collaboration.allowList': ['ada'] });
        const invite = await host.startSession({ displayName: 'Hana' });
        const ada = newGuest();
        await ada.joinSession({ invite: invite.link, displayName: 'Ada' });
        assert.deepEqual(ada.state, { kind: 'joined', role: 'read-write' });
        const bob = newGuest();
        const joining = bob.joinSession({ invite: invite.link, displayName: 'Bob' });
        await eventually(() => messages.shown.some(m => m.text === 'Bob wants to join your session.'), 'the host is asked about Bob');
        messages.shown.find(m => m.text === 'Bob wants to join your session.')!.click('Accept Read-Only');
        await joining;
        assert.deepEqual(bob.state, { kind: 'joined', role: 'read-only' });
    });

    it('denies from the notification, and closes the notification of a request the guest withdrew', async () => {
        const { service: host, messages } = newHost();
        const invite = await host.startSession({ displayName: 'Hana' });
        const eve = newGuest();
        const denied = assert.rejects(eve.joinSession({ invite: invite.link, displayName: 'Eve' }),
            (error: unknown) => error instanceof SessionFailedError && error.end.reason === 'denied');
        await eventually(() => messages.shown.some(m => m.text === 'Eve wants to join your session.'), 'the host is asked about Eve');
        messages.shown.find(m => m.text === 'Eve wants to join your session.')!.click('Deny');
        await denied;

        const quitter = newGuest();
        const joining = quitter.joinSession({ invite: invite.link, displayName: 'Quinn' });
        await eventually(() => messages.shown.some(m => m.text === 'Quinn wants to join your session.'), 'the host is asked about Quinn');
        await quitter.leaveSession();
        await joining.catch(() => undefined);
        const prompt = messages.shown.find(m => m.text === 'Quinn wants to join your session.')!;
        await eventually(() => prompt.closed, 'the notification closes when the request is withdrawn');
        assert.equal(host.joinRequests.length, 0);
    });
});

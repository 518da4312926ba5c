import { disableJSDOM } from '../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { MessageLoop } from '@theia/core/shared/@lumino/messaging';
import { Widget } from '@theia/core/shared/@lumino/widgets';
import { CommandService } from '@theia/core/lib/common/command';
import { PeerStatusService } from '../peer-status/peer-status-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { createSessionTestContainer, recordedMessages } from '../session/test/session-test-container';
import { ParticipantsWidget } from './participants-widget';

/** The Participants view rendered in jsdom, over real sessions on a real coordination server. */
describe('ParticipantsWidget (jsdom, real sessions)', function (): void {
    this.timeout(20_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];
    const executed: string[] = [];

    before(async () => { server = await startTestServer(); });
    after(async () => {
        await server.close();
        disableJSDOM();
    });
    afterEach(() => { disposables.splice(0).reverse().forEach(item => item.dispose()); });

    function newWidget(): { widget: ParticipantsWidget; service: CollaborationSessionService; container: ReturnType<typeof createSessionTestContainer> } {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url });
        container.bind(CommandService).toConstantValue({ executeCommand: async (id: string) => { executed.push(id); return undefined; } });
        container.bind(ParticipantsWidget).toSelf();
        container.bind(PeerStatusService).toSelf().inSingletonScope();
        const widget = container.get(ParticipantsWidget);
        const service = container.get(CollaborationSessionService);
        disposables.push(service, widget);
        Widget.attach(widget, document.body);
        return { widget, service, container };
    }

    /**
     * Asks the widget to render and waits until React has (it renders
     * asynchronously); `until` is the condition the rendered DOM must meet.
     */
    async function render(widget: ParticipantsWidget, until: (node: HTMLElement) => boolean = () => true, what = 'the view renders'): Promise<HTMLElement> {
        MessageLoop.sendMessage(widget, Widget.Msg.UpdateRequest);
        await eventually(() => widget.node.childElementCount > 0 && until(widget.node), what);
        return widget.node;
    }

    async function click(widget: ParticipantsWidget, selector: string): Promise<void> {
        const node = await render(widget, n => n.querySelector(selector) !== null, `${selector} is shown`);
        node.querySelector<HTMLButtonElement>(selector)!.click();
    }

    it('offers to start or join when there is no session', async () => {
        const { widget } = newWidget();
        const node = await render(widget);
        assert.match(node.textContent ?? '', /No collaboration session/);
        await click(widget, 'button[data-action="start"]');
        await click(widget, 'button[data-action="join"]');
        assert.deepEqual(executed.splice(0), ['ensemble.session.start', 'ensemble.session.join']);
    });

    it('lists join requests for the host, admits read-only from the view, then lets the host change permission and remove', async () => {
        const { widget, service: host, container } = newWidget();
        const invite = await host.startSession({ displayName: 'Hana' });
        const { service: guest } = newWidget();
        const joining = guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        await eventually(() => host.joinRequests.length === 1, 'the request arrives');
        let node = await render(widget, n => n.querySelector('.ensemble-join-request[data-request-name="Gus"]') !== null, 'the request is listed');
        assert.match(node.textContent ?? '', /Invite: .*Copy Invite/);
        // The host answers from the view: the notification about it closes.
        const prompt = recordedMessages(container).shown.find(message => message.text === 'Gus wants to join your session.');
        assert.ok(prompt, 'a notification with actions was shown');
        assert.deepEqual(prompt.actions, ['Accept', 'Accept Read-Only', 'Deny']);
        await click(widget, '.ensemble-join-request[data-request-name="Gus"] button[data-action="accept-read-only"]');
        await joining;
        await eventually(() => prompt.closed, 'the notification closes');
        await eventually(() => host.participants.length === 2, 'the host lists the guest');
        node = await render(widget, n => n.querySelector('[data-peer-name="Gus"]') !== null && n.querySelector('.ensemble-join-request') === null, 'the guest is listed');
        const row = node.querySelector<HTMLElement>('[data-peer-name="Gus"]');
        assert.equal(row?.dataset.role, 'read-only');
        assert.ok(row?.querySelector('.ensemble-participant-color'), 'a colour swatch');
        assert.equal(node.querySelector('.ensemble-join-request'), null);

        await click(widget, '[data-peer-name="Gus"] button[data-action="make-read-write"]');
        await eventually(() => guest.state.kind === 'joined' && guest.state.role === 'read-write', 'the guest can edit');
        await click(widget, '[data-peer-name="Gus"] button[data-action="remove"]');
        await eventually(() => guest.state.kind === 'closed', 'the guest is removed');
        await render(widget, n => n.querySelector('[data-peer-name="Gus"]') === null, 'the guest is no longer listed');
    });

    it('shows each peer\'s file and whom it follows; Follow sets this window\'s following', async () => {
        const { service: host } = newWidget();
        const invite = await host.startSession({ displayName: 'Hana' });
        host.onJoinRequest(request => { host.answerJoinRequest(request.requestId, 'read-write'); });
        const { widget, service: guest } = newWidget();
        await guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        host.updateOwnStatus({ activeDocument: 'src/index.ts' });
        await eventually(() => guest.participants.find(p => p.name === 'Hana')?.activeDocument === 'src/index.ts', 'the guest sees the host\'s file');
        let node = await render(widget, n => /src\/index\.ts/.test(n.querySelector('[data-peer-name="Hana"] .ensemble-participant-location')?.textContent ?? ''),
            'the host\'s file is shown');
        assert.equal(node.querySelector('[data-peer-name="Gus"] button[data-action="follow"]'), null, 'no Follow on yourself');
        assert.equal(node.querySelector('[data-peer-name="Hana"] button[data-action="remove"]'), null, 'guests cannot remove');
        await click(widget, '[data-peer-name="Hana"] button[data-action="follow"]');
        assert.equal(guest.followedPeerId, host.session?.peerId);
        await eventually(() => host.participants.find(p => p.name === 'Gus')?.following === host.session?.peerId, 'the host sees it is followed');
        node = await render(widget, n => n.querySelector('[data-peer-name="Hana"] button[data-action="unfollow"]') !== null
            && /following Hana/.test(n.querySelector('[data-peer-name="Gus"] .ensemble-participant-following')?.textContent ?? ''), 'Unfollow and "following Hana" are shown');
        assert.ok(node);
    });
});

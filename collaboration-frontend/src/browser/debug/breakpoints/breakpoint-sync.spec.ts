import { disableJSDOM } from '../../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { delay, eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { LabelProvider, OpenerService, StorageService } from '@theia/core/lib/browser';
import { CommandService } from '@theia/core/lib/common/command';
import { Disposable } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import type { Container } from '@theia/core/shared/inversify';
import { BreakpointManager } from '@theia/debug/lib/browser/breakpoint/breakpoint-manager';
import { SourceBreakpoint } from '@theia/debug/lib/browser/breakpoint/breakpoint-marker';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { CollaborationSessionContribution, type SessionContext } from '../../session/session-contribution';
import { createSessionTestContainer } from '../../session/test/session-test-container';
import { HostWorkspaceSharing } from '../../workspace/host/host-workspace-sharing';
import { SetBreakpoints } from '../debug-messages';
import { BreakpointSync } from './breakpoint-sync';

const HOST_FOLDER = new URI('file:///home/hana/ws');

interface Window {
    readonly container: Container;
    readonly service: CollaborationSessionService;
    readonly breakpoints: BreakpointManager;
    /** How often the window's breakpoint markers changed, per URI. */
    readonly changes: Map<string, number>;
}

/**
 * Shared breakpoints between windows with Theia's real BreakpointManager,
 * the real session service and real sessions on a real coordination server.
 * Doubles stand in only for what the manager needs from the rest of the
 * application (storage, opener, labels, file events) and for the host's
 * shared folders (one folder `ws`).
 */
describe('debugging for guests: breakpoints shared both ways (real BreakpointManager, real sessions)', function (): void {
    this.timeout(30_000);
    let server: RunningCoordinationServer;
    const disposables: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(async () => {
        await server.close();
        disableJSDOM();
    });
    afterEach(() => { disposables.splice(0).reverse().forEach(item => item.dispose()); });

    function newWindow(): Window {
        const container = createSessionTestContainer({ embeddedServerUrl: server.url });
        container.bind(StorageService).toConstantValue({ setData: async () => undefined, getData: async (_key: string, fallback?: unknown) => fallback } as unknown as StorageService);
        container.bind(LabelProvider).toConstantValue({} as LabelProvider);
        container.bind(OpenerService).toConstantValue({} as OpenerService);
        container.bind(CommandService).toConstantValue({ executeCommand: async () => undefined });
        container.bind(FileService).toConstantValue({ onDidFilesChange: () => Disposable.NULL } as unknown as FileService);
        container.bind(BreakpointManager).toSelf().inSingletonScope();
        container.bind(HostWorkspaceSharing).toConstantValue({
            toSharedPath: (uri: URI) => { const relative = HOST_FOLDER.relative(uri); return relative && { root: 'ws', path: relative.toString() }; },
            toFileUri: (target: { root: string; path: string }) => target.root === 'ws' ? HOST_FOLDER.resolve(target.path) : undefined
        } as unknown as HostWorkspaceSharing);
        container.bind(BreakpointSync).toSelf().inSingletonScope();
        container.bind(CollaborationSessionContribution).toConstantValue({
            onSessionStarting: ({ session, isHost }: SessionContext) => container.get(BreakpointSync).start(session, isHost)
        });
        const service = container.get(CollaborationSessionService);
        const breakpoints = container.get(BreakpointManager);
        const changes = new Map<string, number>();
        breakpoints.onDidChangeMarkers(uri => changes.set(uri.toString(), (changes.get(uri.toString()) ?? 0) + 1));
        disposables.push(service);
        return { container, service, breakpoints, changes };
    }

    async function hostAndGuest(): Promise<{ host: Window; guest: Window; guestUri: (path: string) => URI; invite: string }> {
        const host = newWindow();
        const invite = await host.service.startSession({ displayName: 'Hana' });
        host.service.onJoinRequest(request => { void host.service.answerJoinRequest(request.requestId, 'read-write'); });
        const guest = newWindow();
        await guest.service.joinSession({ invite: invite.link, displayName: 'Gus' });
        await eventually(() => guest.service.state.kind === 'joined', 'the guest is in');
        const room = host.service.session!.roomId!.toLowerCase();
        return { host, guest, guestUri: path => new URI(`ensemble://${room}/ws/${path}`), invite: invite.link };
    }

    const lines = (window: Window, uri: URI) => window.breakpoints.getBreakpoints(uri).map(bp => ({ line: bp.origin.raw.line, enabled: bp.origin.enabled, condition: bp.origin.raw.condition }));

    it('the host\'s breakpoints appear on the guest, and the guest\'s changes (enable, condition, remove) on the host, without echo', async () => {
        const { host, guest, guestUri } = await hostAndGuest();
        const hostFile = HOST_FOLDER.resolve('src/main.js');
        const guestFile = guestUri('src/main.js');

        host.breakpoints.addBreakpoint(SourceBreakpoint.create(hostFile, { line: 3, condition: 'x > 1' }));
        await eventually(() => lines(guest, guestFile).length === 1, 'the guest gets the host\'s breakpoint');
        assert.deepEqual(lines(guest, guestFile), [{ line: 3, enabled: true, condition: 'x > 1' }]);

        // The guest disables it and adds another one: the host follows.
        const [shared] = guest.breakpoints.getBreakpoints(guestFile);
        guest.breakpoints.setBreakpoints(guestFile, [{ ...shared.origin, enabled: false }, SourceBreakpoint.create(guestFile, { line: 7, condition: 'y' })]);
        await eventually(() => lines(host, hostFile).length === 2, 'the host gets the guest\'s change');
        assert.deepEqual(lines(host, hostFile), [{ line: 3, enabled: false, condition: 'x > 1' }, { line: 7, enabled: true, condition: 'y' }]);

        // Nothing comes back: the guest's own change was its last.
        const guestChanges = guest.changes.get(guestFile.toString());
        const hostChanges = host.changes.get(hostFile.toString());
        await delay(500);
        assert.equal(guest.changes.get(guestFile.toString()), guestChanges, 'no echo on the guest');
        assert.equal(host.changes.get(hostFile.toString()), hostChanges, 'no echo on the host');

        // The guest removes one: removed on the host too.
        guest.breakpoints.removeBreakpoint(guest.breakpoints.getBreakpoints(guestFile).find(bp => bp.origin.raw.line === 3)!);
        await eventually(() => lines(host, hostFile).length === 1, 'the removal reaches the host');
        assert.deepEqual(lines(host, hostFile), [{ line: 7, enabled: true, condition: 'y' }]);
    });

    it('a guest who joins later gets the breakpoints already set; files outside the shared folders stay unshared both ways', async () => {
        const { host, invite, guestUri } = await hostAndGuest();
        host.breakpoints.addBreakpoint(SourceBreakpoint.create(HOST_FOLDER.resolve('a.js'), { line: 2 }));
        host.breakpoints.addBreakpoint(SourceBreakpoint.create(new URI('file:///etc/private.js'), { line: 1 }));
        const late = newWindow();
        await late.service.joinSession({ invite, displayName: 'Lea' });
        await eventually(() => lines(late, guestUri('a.js')).length === 1, 'the late guest gets the shared file\'s breakpoint');
        assert.deepEqual([...late.breakpoints.getUris()], [guestUri('a.js').toString()], 'nothing about the unshared file');

        // A peer that names a file outside the shared folder gets nothing set on the host.
        late.service.session!.sendNotification(SetBreakpoints, { target: { root: 'ws', path: '../../../etc/passwd' }, breakpoints: [{ line: 1, enabled: true }] }, { type: 'host' });
        late.service.session!.sendNotification(SetBreakpoints, { target: { root: 'ws', path: 'b.js' }, breakpoints: [{ line: 5, enabled: true }] }, { type: 'host' });
        await eventually(() => lines(host, HOST_FOLDER.resolve('b.js')).length === 1, 'the valid list arrives (after the bad one)');
        assert.deepEqual([...host.breakpoints.getUris()].filter(uri => uri.includes('passwd')), []);
    });

    it('takes the host\'s breakpoints off a guest when it leaves; the host keeps them', async () => {
        const { host, guest, guestUri } = await hostAndGuest();
        guest.breakpoints.addBreakpoint(SourceBreakpoint.create(guestUri('c.js'), { line: 4 }));
        await eventually(() => lines(host, HOST_FOLDER.resolve('c.js')).length === 1, 'the host gets the guest\'s breakpoint');
        await guest.service.leaveSession();
        await eventually(() => guest.breakpoints.getBreakpoints().length === 0, 'the guest drops the host\'s breakpoints');
        assert.equal(lines(host, HOST_FOLDER.resolve('c.js')).length, 1);
    });
});

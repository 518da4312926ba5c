import { disableJSDOM } from '../../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { delay, eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { LabelProvider, OpenerService, StorageService } from '@theia/core/lib/browser';
import { CommandService } from '@theia/core/lib/common/command';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import URI from '@theia/core/lib/common/uri';
import type { Container } from '@theia/core/shared/inversify';
import { BreakpointManager } from '@theia/debug/lib/browser/breakpoint/breakpoint-manager';
import { FunctionBreakpoint, SourceBreakpoint } from '@theia/debug/lib/browser/breakpoint/breakpoint-marker';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { CollaborationSessionService } from '../../session/collaboration-session-service';
import { CollaborationSessionContribution, type SessionContext } from '../../session/session-contribution';
import { createSessionTestContainer } from '../../session/test/session-test-container';
import { HostWorkspaceSharing } from '../../workspace/host/host-workspace-sharing';
import { BreakpointsChanged, SetBreakpoints } from '../debug-messages';
import { BreakpointSync } from './breakpoint-sync';
import { GlobalBreakpointSync } from './global-breakpoint-sync';

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

    function newWindow(serverUrl = server.url): Window {
        const container = createSessionTestContainer({ embeddedServerUrl: serverUrl });
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
        container.bind(GlobalBreakpointSync).toSelf().inSingletonScope();
        container.bind(CollaborationSessionContribution).toConstantValue({
            onSessionStarting: ({ session, isHost }: SessionContext) => new DisposableCollection(
                container.get(BreakpointSync).start(session, isHost),
                container.get(GlobalBreakpointSync).start(session, isHost)
            )
        });
        const service = container.get(CollaborationSessionService);
        const breakpoints = container.get(BreakpointManager);
        const changes = new Map<string, number>();
        breakpoints.onDidChangeMarkers(uri => changes.set(uri.toString(), (changes.get(uri.toString()) ?? 0) + 1));
        disposables.push(service);
        return { container, service, breakpoints, changes };
    }

    /** `prepare` runs on each window before the session: what each had set up of its own. */
    async function hostAndGuest(prepare?: (host: Window, guest: Window) => void, serverUrl = server.url): Promise<{ host: Window; guest: Window; guestUri: (path: string) => URI; invite: string }> {
        const host = newWindow(serverUrl);
        const guest = newWindow(serverUrl);
        prepare?.(host, guest);
        const invite = await host.service.startSession({ displayName: 'Hana' });
        host.service.onJoinRequest(request => { void host.service.answerJoinRequest(request.requestId, 'read-write'); });
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
        late.service.session!.sendNotification(SetBreakpoints, { target: { root: 'ws', path: '../../../etc/passwd' }, breakpoints: [{ line: 1, enabled: true }], base: [] }, { type: 'host' });
        late.service.session!.sendNotification(SetBreakpoints, { target: { root: 'ws', path: 'b.js' }, breakpoints: [{ line: 5, enabled: true }], base: [] }, { type: 'host' });
        await eventually(() => lines(host, HOST_FOLDER.resolve('b.js')).length === 1, 'the valid list arrives (after the bad one)');
        assert.deepEqual([...host.breakpoints.getUris()].filter(uri => uri.includes('passwd')), []);
    });

    it('a guest applies only the host\'s newer lists: a list older than one applied (an answer overtaken by a broadcast) changes nothing', async () => {
        const { host, guest, guestUri } = await hostAndGuest();
        const file = guestUri('d.js');
        const hostSession = host.service.session!;
        hostSession.sendBroadcast(BreakpointsChanged, { target: { root: 'ws', path: 'd.js' }, breakpoints: [{ line: 5, enabled: true }], version: 10 });
        await eventually(() => lines(guest, file).length === 1, 'the guest applies the host\'s list');
        hostSession.sendBroadcast(BreakpointsChanged, { target: { root: 'ws', path: 'd.js' }, breakpoints: [{ line: 1, enabled: true }], version: 3 });
        hostSession.sendBroadcast(BreakpointsChanged, { target: { root: 'ws', path: 'e.js' }, breakpoints: [{ line: 2, enabled: true }], version: 4 });
        await eventually(() => lines(guest, guestUri('e.js')).length === 1, 'a list of another file is news');
        assert.deepEqual(lines(guest, file), [{ line: 5, enabled: true, condition: undefined }], 'the older list of d.js changed nothing');
    });

    it('takes the host\'s breakpoints off a guest when it leaves; the host keeps them', async () => {
        const { host, guest, guestUri } = await hostAndGuest();
        guest.breakpoints.addBreakpoint(SourceBreakpoint.create(guestUri('c.js'), { line: 4 }));
        await eventually(() => lines(host, HOST_FOLDER.resolve('c.js')).length === 1, 'the host gets the guest\'s breakpoint');
        await guest.service.leaveSession();
        await eventually(() => guest.breakpoints.getBreakpoints().length === 0, 'the guest drops the host\'s breakpoints');
        assert.equal(lines(host, HOST_FOLDER.resolve('c.js')).length, 1);
    });
    const functions = (window: Window) => window.breakpoints.getFunctionBreakpoints()
        .map(bp => ({ name: bp.origin.raw.name, enabled: bp.origin.enabled, condition: bp.origin.raw.condition }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const changesOf = (window: Window, uri: URI) => window.changes.get(uri.toString()) ?? 0;

    it('function breakpoints: the host\'s appear on the guest (set before and after it joined), the guest\'s changes reach the host without echo, and the guest\'s own come back after', async () => {
        const { host, guest } = await hostAndGuest((h, g) => {
            h.breakpoints.addFunctionBreakpoint(FunctionBreakpoint.create({ name: 'main' }));
            g.breakpoints.addFunctionBreakpoint(FunctionBreakpoint.create({ name: 'mine' }));
        });
        await eventually(() => functions(guest).length === 1 && functions(guest)[0].name === 'main', 'the guest gets the host\'s function breakpoint set before it joined');
        host.breakpoints.addFunctionBreakpoint(FunctionBreakpoint.create({ name: 'helper' }));
        await eventually(() => functions(guest).length === 2, 'the guest gets the host\'s new function breakpoint');
        assert.deepEqual(functions(guest), [{ name: 'helper', enabled: true, condition: undefined }, { name: 'main', enabled: true, condition: undefined }], 'the guest\'s own make way');

        // The guest disables one and gives the other a condition, as its Breakpoints view does.
        const [helper, main] = [...guest.breakpoints.getFunctionBreakpoints()].sort((a, b) => a.origin.raw.name.localeCompare(b.origin.raw.name));
        guest.breakpoints.enableBreakpoint(main, false);
        guest.breakpoints.updateFunctionBreakpoint(helper, { condition: 'n > 2' });
        await eventually(() => functions(host).some(bp => bp.condition === 'n > 2'), 'the host gets the guest\'s changes');
        assert.deepEqual(functions(host), [{ name: 'helper', enabled: true, condition: 'n > 2' }, { name: 'main', enabled: false, condition: undefined }]);

        const guestChanges = changesOf(guest, BreakpointManager.FUNCTION_URI);
        const hostChanges = changesOf(host, BreakpointManager.FUNCTION_URI);
        await delay(500);
        assert.equal(changesOf(guest, BreakpointManager.FUNCTION_URI), guestChanges, 'no echo on the guest');
        assert.equal(changesOf(host, BreakpointManager.FUNCTION_URI), hostChanges, 'no echo on the host');

        guest.breakpoints.removeFunctionBreakpoint(guest.breakpoints.getFunctionBreakpoints().find(bp => bp.origin.raw.name === 'helper')!);
        await eventually(() => functions(host).length === 1, 'the removal reaches the host');

        await guest.service.leaveSession();
        await eventually(() => functions(guest).length === 1 && functions(guest)[0].name === 'mine', 'the guest\'s own function breakpoint is back');
        assert.deepEqual(functions(host), [{ name: 'main', enabled: false, condition: undefined }], 'the host keeps its list');
    });

    it('exception filters: a guest\'s mirrored session takes the host\'s settings; a guest\'s change (enable, Edit Condition) reaches the host\'s adapter settings and back', async () => {
        const filters = [
            { filter: 'all', label: 'Caught Exceptions', default: false },
            { filter: 'uncaught', label: 'Uncaught Exceptions', default: true, supportsCondition: true }
        ];
        const settings = (window: Window) => window.breakpoints.getExceptionBreakpoints()
            .map(bp => ({ filter: bp.origin.raw.filter, enabled: bp.origin.enabled, condition: bp.origin.condition }));
        const { host, guest } = await hostAndGuest(h => h.breakpoints.addExceptionBreakpoints(filters, 'host-session'));
        const hostAll = host.breakpoints.getExceptionBreakpoints().find(bp => bp.origin.raw.filter === 'all')!;
        host.breakpoints.enableBreakpoint(hostAll, true);
        await delay(300);
        const hostChanges = changesOf(host, BreakpointManager.EXCEPTION_URI);

        // The host's session is mirrored on the guest: the same filters, with Theia's defaults, until the shared settings apply.
        guest.breakpoints.addExceptionBreakpoints(filters, 'mirror');
        await eventually(() => settings(guest).find(s => s.filter === 'all')?.enabled === true, 'the guest takes the host\'s setting');
        await delay(300);
        assert.equal(changesOf(host, BreakpointManager.EXCEPTION_URI), hostChanges, 'the guest\'s defaults do not reach the host');

        // The guest turns Uncaught off and gives it a condition through Edit Condition (which Theia keeps in `raw`).
        const guestUncaught = guest.breakpoints.getExceptionBreakpoints().find(bp => bp.origin.raw.filter === 'uncaught')!;
        guest.breakpoints.enableBreakpoint(guestUncaught, false);
        guest.breakpoints.updateBreakpoint(guestUncaught, { condition: 'err.code === 1' } as Partial<typeof guestUncaught.origin.raw>);
        await eventually(() => settings(host).find(s => s.filter === 'uncaught')?.condition === 'err.code === 1', 'the host gets the guest\'s condition');
        assert.deepEqual(settings(host), [
            { filter: 'all', enabled: true, condition: undefined },
            { filter: 'uncaught', enabled: false, condition: 'err.code === 1' }
        ], 'where the host\'s session reads them from');

        // And the host's change comes back to the guest.
        host.breakpoints.enableBreakpoint(host.breakpoints.getExceptionBreakpoints().find(bp => bp.origin.raw.filter === 'uncaught')!, true);
        await eventually(() => settings(guest).find(s => s.filter === 'uncaught')?.enabled === true, 'the guest gets the host\'s change');
    });
    it('after a reconnection that lost messages, both sides catch up: what the guest changed offline reaches the host and merges with what the host changed meanwhile; what it missed (a file emptied, a function breakpoint added) reaches it', async () => {
        const lossy = await startTestServer({ connectionRecoveryMaxPackets: 1 });
        try {
            const { host, guest, guestUri } = await hostAndGuest(undefined, lossy.url);
            const hostFile = HOST_FOLDER.resolve('r.js');
            const both = HOST_FOLDER.resolve('m.js');
            host.breakpoints.addBreakpoint(SourceBreakpoint.create(hostFile, { line: 3 }));
            host.breakpoints.addBreakpoint(SourceBreakpoint.create(both, { line: 2 }));
            host.breakpoints.addFunctionBreakpoint(FunctionBreakpoint.create({ name: 'main' }));
            await eventually(() => lines(guest, guestUri('r.js')).length === 1 && lines(guest, guestUri('m.js')).length === 1 && functions(guest).length === 1,
                'the guest has the host\'s breakpoints');

            const socket = (guest.service.session as unknown as { socket: { io: { engine: { close(): void }; reconnectionDelay(ms: number): void } } }).socket;
            socket.io.reconnectionDelay(400);
            socket.io.engine.close();
            await eventually(() => guest.service.session!.state === 'reconnecting', 'the guest is offline');
            guest.breakpoints.addFunctionBreakpoint(FunctionBreakpoint.create({ name: 'offline' }));
            guest.breakpoints.addBreakpoint(SourceBreakpoint.create(guestUri('g.js'), { line: 9 }));
            guest.breakpoints.addBreakpoint(SourceBreakpoint.create(guestUri('m.js'), { line: 8 }));
            host.breakpoints.removeBreakpoint(host.breakpoints.getBreakpoints(hostFile)[0]);
            host.breakpoints.addBreakpoint(SourceBreakpoint.create(both, { line: 4 }));
            host.breakpoints.addFunctionBreakpoint(FunctionBreakpoint.create({ name: 'hostOnly' }));

            await eventually(() => guest.service.session!.state === 'connected', 'the guest is back', 10_000);
            const names = (window: Window) => functions(window).map(bp => bp.name).join(',');
            await eventually(() => names(host) === 'hostOnly,main,offline' && names(guest) === 'hostOnly,main,offline', 'both have every function breakpoint');
            await eventually(() => lines(host, HOST_FOLDER.resolve('g.js')).length === 1, 'the guest\'s offline breakpoint reaches the host');
            await eventually(() => lines(guest, guestUri('r.js')).length === 0, 'the file the host emptied meanwhile is empty on the guest');
            const atLines = (window: Window, uri: URI) => lines(window, uri).map(bp => bp.line).join(',');
            await eventually(() => atLines(host, both) === '2,4,8' && atLines(guest, guestUri('m.js')) === '2,4,8', 'both changes to one file, made at once, are kept');
        } finally {
            await lossy.close();
        }
    });
});

import '../test/enable-jsdom';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { HostWorkspaceServiceImpl } from '@ensemble/collaboration-backend/lib/node/workspace/host-workspace-service-impl';
import { createTempWorkspace, type TempWorkspace } from '@ensemble/collaboration-backend/lib/node/workspace/testing/temp-workspace';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { eventually } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { enableJSDOM } from '@theia/core/lib/browser/test/jsdom';
import { BinaryBuffer } from '@theia/core/lib/common/buffer';
import { FileUri } from '@theia/core/lib/common/file-uri';
import type URI from '@theia/core/lib/common/uri';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { FileSystemProviderCapabilities } from '@theia/filesystem/lib/common/files';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { CollaborationSessionService } from '../session/collaboration-session-service';
import { createSessionTestContainer, recordedMessages } from '../session/test/session-test-container';
import { ENSEMBLE_SCHEME, toEnsembleUri } from './ensemble-uri';
import { GuestWorkspaceMount } from './guest/guest-workspace-mount';
import { HostWorkspaceChangeRelay } from './host/host-workspace-change-relay';
import { HostWorkspaceSharing } from './host/host-workspace-sharing';
import { bindGuestWindow, bindHostWindow, bindWorkspaceSharingServices, guestFileSearch, type HostWindow, type WorkspaceRecord } from './test/workspace-test-container';

/**
 * The services of workspace sharing as the application wires them (jsdom):
 * the host's HostWorkspaceSharing with the real backend service on a temp
 * dir, the guest's GuestWorkspaceMount with Theia's real FileService and the
 * guest-aware WorkspaceService, both driven by the real session service
 * through a real coordination server.
 */
describe('workspace sharing services (jsdom, real sessions, real FileService)', function (): void {
    this.timeout(60_000);
    let server: RunningCoordinationServer;
    let temp: TempWorkspace;
    let second: string;
    let backend: HostWorkspaceServiceImpl;
    const disposables: Array<{ dispose(): void }> = [];

    let disableDom: () => void;

    before(async () => {
        // Another suite may have switched jsdom off after this file was loaded: on again, for this suite.
        disableDom = enableJSDOM();
        server = await startTestServer();
    });
    after(async () => {
        await server.close();
        disableDom();
    });
    beforeEach(async () => {
        temp = await createTempWorkspace();
        second = nodePath.join(temp.base, 'second');
        await fs.mkdir(second);
        await fs.writeFile(nodePath.join(second, 'notes.md'), '# notes\n');
        backend = new HostWorkspaceServiceImpl();
    });
    afterEach(async () => {
        disposables.splice(0).reverse().forEach(item => item.dispose());
        backend.dispose();
        await temp.remove();
    });

    interface Setup {
        readonly host: CollaborationSessionService;
        readonly hostWindow: HostWindow;
        readonly sharing: HostWorkspaceSharing;
        readonly guest: CollaborationSessionService;
        readonly guestContainer: ReturnType<typeof createSessionTestContainer>;
        readonly record: WorkspaceRecord;
        readonly fileService: FileService;
        readonly workspace: WorkspaceService;
        readonly mount: GuestWorkspaceMount;
    }

    async function hostAndGuest(role: 'read-write' | 'read-only' = 'read-write'): Promise<Setup> {
        const hostContainer = createSessionTestContainer({ embeddedServerUrl: server.url, preferences: { 'collaboration.autoAccept': role } });
        const hostWindow = bindHostWindow(hostContainer, backend, [FileUri.create(temp.ws), FileUri.create(second)]);
        bindWorkspaceSharingServices(hostContainer);
        backend.setClient(hostContainer.get(HostWorkspaceChangeRelay));
        const host = hostContainer.get(CollaborationSessionService);
        host.onJoinRequest(request => { void host.answerJoinRequest(request.requestId, role); });
        disposables.push(host);

        const guestContainer = createSessionTestContainer({ embeddedServerUrl: server.url });
        const record = bindGuestWindow(guestContainer, undefined);
        bindWorkspaceSharingServices(guestContainer);
        const guest = guestContainer.get(CollaborationSessionService);
        disposables.push(guest);
        const workspace = guestContainer.get(WorkspaceService);
        await workspace.ready;

        const invite = await host.startSession({ displayName: 'Hana' });
        await guest.joinSession({ invite: invite.link, displayName: 'Gus' });
        const mount = guestContainer.get(GuestWorkspaceMount);
        await eventually(() => workspace.tryGetRoots().length === 2, 'the guest shows the host\'s two folders').catch(error => {
            const shown = [...recordedMessages(guestContainer).shown, ...recordedMessages(hostContainer).shown].map(message => message.text);
            throw new Error(`${error.message}; guest state ${guest.state.kind}; mounted ${!!guestContainer.get(GuestWorkspaceMount).current}; roots ${JSON.stringify(workspace.tryGetRoots().map(r => r.resource.toString()))} provider ${guestContainer.get(FileService).hasProvider('ensemble')} shared ${backend.sharedRootNames}; messages: ${JSON.stringify(shown)}`);
        });
        return {
            host, hostWindow, sharing: hostContainer.get(HostWorkspaceSharing), guest, guestContainer, record,
            fileService: guestContainer.get(FileService), workspace, mount
        };
    }

    /** Retries `action` until it resolves (for changes applied asynchronously); fails with its last error. */
    async function eventuallyResolves<T>(action: () => Promise<T>, what: string): Promise<T> {
        let lastError: unknown;
        for (let attempt = 0; attempt < 200; attempt++) {
            try {
                return await action();
            } catch (error) {
                lastError = error;
                await new Promise(resolve => setTimeout(resolve, 25));
            }
        }
        throw new Error(`never happened: ${what} (${lastError instanceof Error ? lastError.message : String(lastError)})`);
    }

    const rootNames = (workspace: WorkspaceService): string[] => workspace.tryGetRoots().map(root => root.name);
    const at = (setup: Setup, root: string, path: string): URI => toEnsembleUri(setup.guest.session!.roomId!, { root, path });

    it('shows a joined guest the host\'s folders as its workspace, readable through Theia\'s FileService', async () => {
        const setup = await hostAndGuest();
        const wsName = nodePath.basename(temp.ws);
        assert.deepEqual(rootNames(setup.workspace), [wsName, 'second']);
        assert.ok(setup.workspace.tryGetRoots().every(root => root.resource.scheme === ENSEMBLE_SCHEME));
        assert.equal(setup.workspace.isMultiRootWorkspaceOpened, true);
        const content = await setup.fileService.read(at(setup, wsName, 'a.txt'));
        assert.equal(content.value, 'alpha\n');
        const listing = await setup.fileService.resolve(at(setup, wsName, ''));
        assert.deepEqual(listing.children?.map(child => child.name).sort(), ['a.txt', 'link-inside', 'sub']);
        // The guest's own machine never records the host's workspace as one to reopen.
        assert.deepEqual(setup.record.remembered.filter(uri => uri.startsWith(ENSEMBLE_SCHEME)), []);
    });

    it('writes through Theia\'s FileService onto the host\'s disk, and hears of host-side changes', async () => {
        const setup = await hostAndGuest();
        const wsName = nodePath.basename(temp.ws);
        await setup.fileService.write(at(setup, wsName, 'sub/new.txt'), 'from the guest\n');
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'sub', 'new.txt'), 'utf8'), 'from the guest\n');
        const seen: string[] = [];
        disposables.push(setup.fileService.onDidFilesChange(event => event.changes.forEach(change => seen.push(change.resource.path.base))));
        for (let attempt = 0; attempt < 200 && !seen.some(name => name.startsWith('host-made-')); attempt++) {
            await fs.writeFile(nodePath.join(temp.ws, `host-made-${attempt}.txt`), 'x');
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        assert.ok(seen.some(name => name.startsWith('host-made-')), 'the guest\'s FileService reports the host\'s change');
    });

    it('makes a read-only guest\'s files read-only, so Theia refuses writes before asking the host', async () => {
        const setup = await hostAndGuest('read-only');
        const wsName = nodePath.basename(temp.ws);
        const provider = setup.mount.current!.provider;
        assert.ok(provider.capabilities & FileSystemProviderCapabilities.Readonly);
        await assert.rejects(setup.fileService.write(at(setup, wsName, 'a.txt'), 'vandalised'), /read-only|readonly/i);
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'alpha\n');
        // Made read-write by the host: writable again without rejoining.
        await setup.host.setPeerRole(setup.guest.session!.peerId!, 'read-write');
        await eventually(() => !(provider.capabilities & FileSystemProviderCapabilities.Readonly), 'the provider becomes writable');
        await setup.fileService.writeFile(at(setup, wsName, 'a.txt'), BinaryBuffer.fromString('now allowed\n'));
        assert.equal(await fs.readFile(nodePath.join(temp.ws, 'a.txt'), 'utf8'), 'now allowed\n');
    });

    it('lets the host stop sharing a folder and share it again; the guest\'s workspace follows', async () => {
        const setup = await hostAndGuest();
        const wsName = nodePath.basename(temp.ws);
        await setup.sharing.stopSharing(FileUri.create(second));
        await eventually(() => rootNames(setup.workspace).join() === wsName, 'the guest no longer shows "second"');
        await assert.rejects(setup.fileService.read(at(setup, 'second', 'notes.md')), /does not share a folder named "second"/);
        assert.deepEqual(setup.sharing.unsharedFolders.map(uri => uri.path.base), ['second']);
        await setup.sharing.shareAgain(FileUri.create(second));
        await eventually(() => rootNames(setup.workspace).join() === `${wsName},second`, 'the guest shows "second" again');
        assert.equal((await setup.fileService.read(at(setup, 'second', 'notes.md'))).value, '# notes\n');
    });

    it('applies a changed collaboration.excludedFiles at once', async () => {
        const setup = await hostAndGuest();
        const wsName = nodePath.basename(temp.ws);
        await assert.rejects(setup.fileService.read(at(setup, wsName, '.env')), /excluded/);
        setup.hostWindow.preferences['collaboration.excludedFiles'] = ['**/*.txt'];
        setup.hostWindow.preferences.changed.fire({ preferenceName: 'collaboration.excludedFiles' });
        await eventuallyResolves(() => setup.fileService.read(at(setup, wsName, '.env')), '.env is served once no longer excluded');
        await assert.rejects(setup.fileService.read(at(setup, wsName, 'a.txt')), /excluded/);
    });

    it('maps between the host\'s file URIs and shared paths for other features', async () => {
        const setup = await hostAndGuest();
        const wsName = nodePath.basename(temp.ws);
        const file = FileUri.create(nodePath.join(temp.ws, 'sub', 'b.txt'));
        assert.deepEqual(setup.sharing.toSharedPath(file), { root: wsName, path: 'sub/b.txt' });
        assert.equal(setup.sharing.toFileUri({ root: wsName, path: 'sub/b.txt' })?.toString(), file.toString());
        assert.equal(setup.sharing.toSharedPath(FileUri.create(temp.outside)), undefined);
    });

    it('finds host files for "Go to File" and keeps other roots on Theia\'s own search', async () => {
        const setup = await hostAndGuest();
        const wsName = nodePath.basename(temp.ws);
        const { search, localCalls } = guestFileSearch(setup.guestContainer, ['file:///local/readme.md']);
        const roots = setup.workspace.tryGetRoots().map(root => root.resource.toString());
        const found = await search.find('b.txt', { rootUris: [...roots, 'file:///local'], fuzzyMatch: true, limit: 20 });
        assert.equal(found[0], at(setup, wsName, 'sub/b.txt').toString());
        assert.ok(found.includes('file:///local/readme.md'));
        assert.deepEqual(localCalls.map(call => call.rootUris), [['file:///local']]);
        assert.deepEqual(await search.find('.env', { rootUris: roots, fuzzyMatch: true, limit: 20 }), []);
    });

    it('gives the guest its own workspace back and unregisters the provider when it leaves', async () => {
        const setup = await hostAndGuest();
        await setup.guest.leaveSession();
        await eventually(() => setup.workspace.tryGetRoots().length === 0 && !setup.fileService.hasProvider(ENSEMBLE_SCHEME),
            'the guest\'s window is back to its own (empty) workspace');
        assert.equal(setup.mount.current, undefined);
        assert.equal(setup.record.mostRecentlyUsed, '', 'the recorded workspace is the guest\'s own (none)');
        assert.deepEqual(setup.record.remembered.filter(uri => uri.startsWith(ENSEMBLE_SCHEME)), [], 'never the host\'s');
    });

    it('stops sharing when the host ends the session', async () => {
        const setup = await hostAndGuest();
        await setup.host.endSession();
        await eventually(() => backend.sharedRootNames.length === 0, 'the backend shares nothing');
        assert.equal(setup.sharing.isSharing, false);
        await eventually(() => !setup.fileService.hasProvider(ENSEMBLE_SCHEME), 'the guest unmounted');
    });
});

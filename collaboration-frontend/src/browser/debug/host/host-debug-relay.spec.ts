import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CollaborationSession } from '@ensemble/collaboration-common';
import type { RunningCoordinationServer } from '@ensemble/coordination-server';
import { hostRoom, joinAs, nextEvent, type HostedRoom } from '@ensemble/coordination-server/lib/testing/session-helpers';
import { startTestServer } from '@ensemble/coordination-server/lib/testing/test-server';
import { DapStdioClient } from '@ensemble/test-debug-fixture/lib/test/dap-stdio-client';
import { Emitter } from '@theia/core/lib/common/event';
import URI from '@theia/core/lib/common/uri';
import { DebugSessionConnection } from '@theia/debug/lib/browser/debug-session-connection';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { verdictOf } from '../breakpoints/breakpoint-verdicts';
import {
    BreakpointVerdictsChanged, DebugSessionEvent, DebugSessionStarted, ForwardDebugRequest, ListBreakpointVerdicts, ListDebugSessions,
    type BreakpointVerdict, type DebugSessionInfo
} from '../debug-messages';
import { RemoteDebugChannel } from '../guest/remote-debug-channel';
import { HostDebugRelay } from './host-debug-relay';
import { hostSourcePaths } from './host-source-paths';
import type { RelayedDebugSession } from './relayed-debug-session';

const PROGRAM = ['let a = 2', 'let b = a * 3', 'print a + b', 'let c = b - a', 'print c', ''].join('\n');

/** The host's debug session: the real toy adapter process, driven over DAP as Theia's backend drives it. */
interface HostDebugSession {
    readonly client: DapStdioClient;
    readonly target: RelayedDebugSession;
    /** What the relay sent to the adapter, as the adapter got it. */
    readonly received: Array<{ readonly command: string; readonly args: unknown }>;
    run(): Promise<void>;
    /** Sets the program's breakpoints in the adapter, as the host's session does with the shared ones; its verdicts go to the relay. */
    setBreakpoints(lines: number[], file?: string): Promise<void>;
}

async function startHostDebugSession(program: string, breakpointLine: number): Promise<HostDebugSession> {
    const client = new DapStdioClient();
    const received: Array<{ command: string; args: unknown }> = [];
    const init = await client.request('initialize', { adapterID: 'ensemble-test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await client.request('launch', { program });
    const verdicts = new Map<string, BreakpointVerdict[]>();
    const verdictsChanged = new Emitter<void>();
    const setBreakpoints = async (lines: number[], file = program): Promise<void> => {
        const response = await client.request('setBreakpoints', { source: { path: file }, breakpoints: lines.map(line => ({ line })) }) as DebugProtocol.SetBreakpointsResponse;
        verdicts.set(file, lines.map((line, index) => verdictOf({ line }, response.body.breakpoints[index])));
        verdictsChanged.fire();
    };
    await setBreakpoints([breakpointLine]);
    const target: RelayedDebugSession = {
        id: 'host-session-1', name: 'Run toy program', type: 'ensemble-test',
        capabilities: (init as DebugProtocol.InitializeResponse).body ?? {},
        async request(command, args) {
            received.push({ command, args });
            const response = await client.request(command, args);
            if (!response.success) {
                throw new Error(response.message ?? 'failed');
            }
            return response.body;
        },
        onEvent: listener => client.onEvent(listener),
        breakpointVerdicts: { current: () => verdicts, onDidChange: listener => verdictsChanged.event(listener) }
    };
    return { client, target, received, run: async () => { await client.request('configurationDone', {}); }, setBreakpoints };
}

/**
 * A guest's mirror as in the app: Theia's own DebugSessionConnection over a
 * RemoteDebugChannel that talks to the host through the real session.
 */
function mirror(guest: CollaborationSession, info: DebugSessionInfo): { connection: DebugSessionConnection; channel: RemoteDebugChannel; refusals: string[]; dispose(): void } {
    const refusals: string[] = [];
    const channel = new RemoteDebugChannel(info,
        (command, args) => guest.sendRequest(ForwardDebugRequest, { sessionId: info.id, command, arguments: args }, { type: 'host' }),
        message => refusals.push(message));
    const events = guest.onBroadcast(DebugSessionEvent, ({ sessionId, event, body }) => sessionId === info.id && channel.receiveEvent(event, body));
    const verdicts = guest.onBroadcast(BreakpointVerdictsChanged, ({ sessionId, path, verdicts }) => sessionId === info.id && channel.receiveVerdicts(path, verdicts));
    void guest.sendRequest(ListBreakpointVerdicts, { sessionId: info.id }, { type: 'host' }).then(({ files }) => files.forEach(file => channel.receiveVerdicts(file.path, file.verdicts)));
    const connection = new DebugSessionConnection(info.id, async () => channel, undefined);
    return { connection, channel, refusals, dispose: () => { events.dispose(); verdicts.dispose(); connection.dispose(); channel.close(); } };
}

function onceEvent<T>(connection: DebugSessionConnection, name: 'stopped' | 'continued' | 'terminated' | 'output' | 'breakpoint', what: string): Promise<T> {
    const emitter = new Emitter<T>();
    connection.on(name, event => emitter.fire(event as unknown as T));
    return nextEvent(emitter.event, what, 10_000);
}

describe('debugging for guests: the host relays its debug session (real server, real sessions, real adapter)', () => {
    let server: RunningCoordinationServer;
    let room: HostedRoom;
    let dir: string;
    let program: string;
    let host: HostDebugSession;
    let relay: HostDebugRelay;
    const toDispose: Array<{ dispose(): void }> = [];

    before(async () => { server = await startTestServer(); });
    after(() => server.close());

    beforeEach(async () => {
        dir = mkdtempSync(path.join(tmpdir(), 'ensemble-debug-relay-'));
        program = path.join(dir, 'main.ensdebug');
        writeFileSync(program, PROGRAM);
        room = await hostRoom(server.url, 'Hana');
        const folder = URI.fromFilePath(dir);
        relay = new HostDebugRelay(room.host, hostSourcePaths(() => room.host.roomId, {
            // The shared folders as HostWorkspaceSharing would have them: this one folder, named `ws`.
            toSharedPath: uri => { const relative = folder.relative(uri); return relative && { root: 'ws', path: relative.toString() }; },
            toFileUri: target => target.root === 'ws' ? folder.resolve(target.path) : undefined
        }));
        host = await startHostDebugSession(program, 3);
    });

    afterEach(() => {
        toDispose.splice(0).forEach(item => item.dispose());
        relay.dispose();
        host.client.dispose();
        room.host.dispose();
        rmSync(dir, { recursive: true, force: true });
    });

    async function joinAndMirror(name: string, role: 'read-write' | 'read-only'): Promise<ReturnType<typeof mirror> & { guest: CollaborationSession }> {
        const guest = await joinAs(server.url, room, name, role);
        toDispose.push(guest);
        const announced = nextEvent(subscribe(guest), `${name} learns of the host's debug session`, 10_000);
        relay.add(host.target);
        relay.announce(host.target.id);
        const info = await announced;
        const mirrored = mirror(guest, info);
        toDispose.push(mirrored);
        return { ...mirrored, guest };
    }

    function subscribe(guest: CollaborationSession) {
        const emitter = new Emitter<DebugSessionInfo>();
        toDispose.push(guest.onBroadcast(DebugSessionStarted, info => emitter.fire(info)));
        return emitter.event;
    }

    it('a read-write guest sees where the host stopped (as an ensemble: URI), the variables and the output, and steps the host\'s program', async () => {
        const { connection } = await joinAndMirror('Gus', 'read-write');
        const init = await connection.sendRequest('initialize', { adapterID: 'x', pathFormat: 'path' });
        assert.equal(init.body?.supportsConfigurationDoneRequest, true, 'the host adapter\'s capabilities');
        assert.equal(init.body?.supportsTerminateRequest, undefined, 'a guest cannot terminate the host\'s session');
        await connection.sendRequest('attach', {} as DebugProtocol.AttachRequestArguments);

        const stopped = onceEvent<DebugProtocol.StoppedEvent>(connection, 'stopped', 'the stop at the breakpoint');
        await host.run();
        assert.equal((await stopped).body.reason, 'breakpoint');

        const trace = await connection.sendRequest('stackTrace', { threadId: 1 });
        const frame = trace.body.stackFrames[0];
        assert.equal(frame.line, 3);
        assert.equal(frame.source?.path, `ensemble://${room.roomId.toLowerCase()}/ws/main.ensdebug`, 'no host path reaches the guest');
        const scopes = await connection.sendRequest('scopes', { frameId: frame.id });
        const variables = await connection.sendRequest('variables', { variablesReference: scopes.body.scopes[0].variablesReference });
        assert.deepEqual(variables.body.variables.map(v => `${v.name}=${v.value}`), ['a=2', 'b=6']);
        assert.equal((await connection.sendRequest('evaluate', { expression: 'a * b', frameId: frame.id })).body.result, '12');

        const output = onceEvent<DebugProtocol.OutputEvent>(connection, 'output', 'the program\'s output');
        const steppedStop = onceEvent<DebugProtocol.StoppedEvent>(connection, 'stopped', 'the stop after the step');
        await connection.sendRequest('next', { threadId: 1 });
        assert.equal((await output).body.output, '8\n');
        assert.equal((await steppedStop).body.reason, 'step');
        assert.equal((await connection.sendRequest('stackTrace', { threadId: 1 })).body.stackFrames[0].line, 4);

        // A source the guest names by its ensemble: URI reaches the adapter as the host's path.
        await connection.sendRequest('breakpointLocations', { source: { path: frame.source!.path }, line: 1 });
        const forwarded = host.received.find(request => request.command === 'breakpointLocations');
        assert.deepEqual(forwarded?.args, { source: { path: program }, line: 1 });

        const terminated = onceEvent(connection, 'terminated', 'the end of the host\'s program');
        await connection.sendRequest('continue', { threadId: 1 });
        await terminated;
    });

    it('a read-only guest may look but not step or evaluate: the host refuses with a clear error, and its program stays where it is', async () => {
        const { connection, refusals } = await joinAndMirror('Rita', 'read-only');
        await connection.sendRequest('initialize', { adapterID: 'x', pathFormat: 'path' });
        const stopped = onceEvent(connection, 'stopped', 'the stop at the breakpoint');
        await host.run();
        await stopped;

        assert.equal((await connection.sendRequest('threads', {})).body.threads.length, 1);
        for (const [command, args] of [['next', { threadId: 1 }], ['continue', { threadId: 1 }], ['evaluate', { expression: 'a' }]] as const) {
            await assert.rejects(connection.sendRequest(command, args as never), (error: DebugProtocol.Response) => {
                assert.equal(error.success, false);
                assert.match(error.message ?? '', /read-only in this session: '\w+' in the host's debug session needs write permission/);
                return true;
            }, command);
        }
        assert.equal(refusals.length, 3, 'the user is told each time');
        // Hovering a variable evaluates it too: refused as well, but without a notification at every mouse move.
        await assert.rejects(connection.sendRequest('evaluate', { expression: 'a', context: 'hover' }));
        assert.equal(refusals.length, 3);
        // The host's program did not move.
        const trace = await host.client.request('stackTrace', { threadId: 1 }) as DebugProtocol.StackTraceResponse;
        assert.equal(trace.body.stackFrames[0].line, 3);

        // The guest's Stop only detaches it: the host's session goes on.
        const closed = nextEvent(connection.onDidClose, 'the mirror\'s channel closes', 10_000);
        await connection.sendRequest('disconnect', {});
        await closed;
        assert.equal(host.received.some(request => request.command === 'disconnect'), false, 'nothing reached the host\'s adapter');
        assert.equal((await host.client.request('threads')).success, true);
    });

    it('a guest arriving (or back from a reconnect) while the host is stopped learns where from the session list, and catches up when it runs again', async () => {
        relay.add(host.target);
        relay.announce(host.target.id);
        await host.run();
        await host.client.waitForEvent('stopped');
        const late = await joinAs(server.url, room, 'Lea', 'read-only');
        toDispose.push(late);
        const { sessions } = await late.sendRequest(ListDebugSessions, {}, { type: 'host' });
        assert.deepEqual(sessions.map(info => [info.id, info.name, info.stopped?.threadId, info.stopped?.reason]), [[host.target.id, 'Run toy program', 1, 'breakpoint']]);

        const { connection, channel } = mirror(late, sessions[0]);
        toDispose.push({ dispose: () => channel.close() });
        const stopped = onceEvent<DebugProtocol.StoppedEvent>(connection, 'stopped', 'the synthetic stop of a late mirror');
        await connection.sendRequest('initialize', { adapterID: 'x', pathFormat: 'path' });
        await connection.sendRequest('attach', {} as DebugProtocol.AttachRequestArguments);
        assert.equal((await stopped).body.threadId, 1);

        // The host runs on; this guest missed it (as after a reconnect without recovery) and resyncs from the list.
        await host.client.request('continue', { threadId: 1 });
        await host.client.waitForEvent('terminated');
        const after = await late.sendRequest(ListDebugSessions, {}, { type: 'host' });
        assert.equal(after.sessions[0].stopped, undefined);
        const continued = onceEvent<DebugProtocol.ContinuedEvent>(connection, 'continued', 'the resync');
        channel.resync(after.sessions[0]);
        assert.equal((await continued).body.allThreadsContinued, true);
    });

    it('a guest\'s mirror shows what the host\'s adapter made of each breakpoint (verified, refused with its reason) and follows its changes', async () => {
        const { connection, guest } = await joinAndMirror('Vera', 'read-only');
        await connection.sendRequest('initialize', { adapterID: 'x', pathFormat: 'path' });
        const guestPath = `ensemble://${room.roomId.toLowerCase()}/ws/main.ensdebug`;
        // The host's adapter has verified the breakpoint on line 3; the one on line 6 (past the last statement) is news to the host.
        await waitUntil(async () => (await guest.sendRequest(ListBreakpointVerdicts, { sessionId: host.target.id }, { type: 'host' })).files.length === 1, 'the host lists its verdicts');
        const set = await connection.sendRequest('setBreakpoints', { source: { path: guestPath }, breakpoints: [{ line: 3 }, { line: 6 }] });
        assert.deepEqual(set.body.breakpoints.map(bp => [bp.verified, bp.line, bp.message]), [[true, 3, undefined], [true, 6, undefined]]);

        // The host's session sets both (as it does with shared breakpoints): the adapter refuses line 6, and the guest's breakpoint follows.
        const changed = onceEvent<DebugProtocol.BreakpointEvent>(connection, 'breakpoint', 'the verdict on line 6');
        await host.setBreakpoints([3, 6]);
        const { reason, breakpoint } = (await changed).body;
        assert.equal(reason, 'changed');
        assert.deepEqual([breakpoint.id, breakpoint.verified, breakpoint.line, breakpoint.message], [set.body.breakpoints[1].id, false, 6, 'No statement at or after line 6']);
        // A second answer of the mirror's says so at once.
        const again = await connection.sendRequest('setBreakpoints', { source: { path: guestPath }, breakpoints: [{ line: 6 }] });
        assert.deepEqual(again.body.breakpoints.map(bp => [bp.verified, bp.message]), [[false, 'No statement at or after line 6']]);

        // The host removes it: no verdict any more, the guest's breakpoint shows as set again.
        const cleared = onceEvent<DebugProtocol.BreakpointEvent>(connection, 'breakpoint', 'the verdict going away');
        await host.setBreakpoints([3]);
        assert.deepEqual([(await cleared).body.breakpoint.verified, (await cleared).body.breakpoint.message], [true, undefined]);
        // A file the guests cannot see is never named to them.
        await host.setBreakpoints([1], path.join(tmpdir(), 'not-shared', 'other.ensdebug'));
        assert.deepEqual((await guest.sendRequest(ListBreakpointVerdicts, { sessionId: host.target.id }, { type: 'host' })).files.map(file => file.path), [guestPath]);
        assert.deepEqual((await guest.sendRequest(ListBreakpointVerdicts, { sessionId: 'no-such-session' }, { type: 'host' })).files, []);
    });

    it('refuses what no guest may do, unknown sessions and malformed requests, and keeps serving', async () => {
        const guest = await joinAs(server.url, room, 'Max', 'read-write');
        toDispose.push(guest);
        relay.add(host.target);
        relay.announce(host.target.id);
        const ask = (sessionId: string, command: string, args?: unknown) =>
            guest.sendRequest(ForwardDebugRequest, { sessionId, command, arguments: args }, { type: 'host' });

        for (const command of ['launch', 'disconnect', 'terminate', 'restart', 'setBreakpoints', 'runInTerminal', 'myCustomThing']) {
            const result = await ask(host.target.id, command, {});
            assert.equal(result.success, false, command);
            assert.equal(result.success === false && result.reason, 'permission-denied', command);
        }
        const unknown = await ask('no-such-session', 'threads');
        assert.deepEqual(unknown, { success: false, message: 'That debug session is no longer running on the host.', reason: 'unknown-session' });
        // Not a DAP name: the schema refuses it before any handler runs.
        await assert.rejects(ask(host.target.id, 'threads; rm -rf /'));
        // The adapter's own error comes back as the message.
        await host.run();
        const bad = await ask(host.target.id, 'evaluate', { expression: 'nope + 1' });
        assert.equal(bad.success, false);
        assert.match(bad.success === false ? bad.message : '', /'nope' is not defined/);
        assert.equal((await ask(host.target.id, 'threads', {})).success, true);
    });
});

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!await check()) {
        if (Date.now() > deadline) {
            assert.fail(`timed out waiting until ${what}`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}

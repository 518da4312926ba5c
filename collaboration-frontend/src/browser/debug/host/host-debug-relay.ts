import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { mapSourcePaths } from '../dap-source-paths';
import {
    BreakpointVerdictsChanged, DebugSessionEnded, DebugSessionEvent, DebugSessionStarted, ForwardDebugRequest, ListBreakpointVerdicts, ListDebugSessions,
    MAX_BREAKPOINT_FILES, MAX_BREAKPOINTS_PER_FILE, MAX_DEBUG_SESSIONS, MAX_RELAYED_BODY_CHARS, MAX_RELAYED_OUTPUT_CHARS,
    type DebugSessionInfo, type FileVerdicts, type ForwardResult
} from '../debug-messages';
import { checkDebugCommand } from '../debug-permissions';
import type { HostSourcePaths } from './host-source-paths';
import { dapErrorMessage, RELAYED_DEBUG_EVENTS, type RelayedDebugSession } from './relayed-debug-session';

interface Entry {
    readonly target: RelayedDebugSession;
    announced: boolean;
    stopped?: DebugSessionInfo['stopped'];
    /** Per guest path, the verdicts last broadcast (as JSON), so that only changes go out. */
    readonly sentVerdicts: Map<string, string>;
    readonly toDispose: DisposableCollection;
}

const relayedEvents: ReadonlySet<string> = new Set(RELAYED_DEBUG_EVENTS);

/**
 * The host's side of debugging for guests: announces the host's debug
 * sessions, relays their DAP events (paths mapped, sizes bounded), and
 * answers the guests' forwarded DAP requests after checking the sender's
 * role, which comes from the server's peer list, never from the message.
 * It also tells guests what each session's adapter made of the shared
 * breakpoints (verified, bound elsewhere, refused), for their mirrors to show.
 */
export class HostDebugRelay implements Disposable {
    private readonly entries = new Map<string, Entry>();
    private readonly toDispose = new DisposableCollection();

    constructor(private readonly session: CollaborationSession, private readonly paths: HostSourcePaths) {
        this.toDispose.push(session.onRequest(ListDebugSessions, () => ({
            sessions: [...this.entries.values()].filter(entry => entry.announced).slice(0, MAX_DEBUG_SESSIONS).map(entry => this.info(entry))
        })));
        this.toDispose.push(session.onRequest(ForwardDebugRequest, ({ sessionId, command, arguments: args }, { origin }) =>
            this.forward(origin, sessionId, command, args)));
        this.toDispose.push(session.onRequest(ListBreakpointVerdicts, ({ sessionId }) => {
            const entry = this.entries.get(sessionId);
            return { files: entry?.announced ? this.verdictFiles(entry) : [] };
        }));
        this.toDispose.push(Disposable.create(() => {
            this.entries.forEach(entry => entry.toDispose.dispose());
            this.entries.clear();
        }));
    }

    /** Starts relaying a session's events; guests learn of it with `announce` (once its capabilities are known). */
    add(target: RelayedDebugSession): void {
        if (this.entries.has(target.id)) {
            return;
        }
        const entry: Entry = { target, announced: false, sentVerdicts: new Map(), toDispose: new DisposableCollection() };
        entry.toDispose.push(target.onEvent(event => this.relayEvent(entry, event)));
        entry.toDispose.push(target.breakpointVerdicts.onDidChange(() => this.relayVerdicts(entry)));
        this.entries.set(target.id, entry);
    }

    announce(id: string): void {
        const entry = this.entries.get(id);
        if (entry && !entry.announced) {
            entry.announced = true;
            this.session.sendBroadcast(DebugSessionStarted, this.info(entry));
            this.relayVerdicts(entry);
        }
    }

    remove(id: string): void {
        const entry = this.entries.get(id);
        if (entry) {
            this.entries.delete(id);
            entry.toDispose.dispose();
            if (entry.announced) {
                this.session.sendBroadcast(DebugSessionEnded, { id });
            }
        }
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    private info(entry: Entry): DebugSessionInfo {
        const { id, name, type, capabilities } = entry.target;
        const info: DebugSessionInfo = {
            id, name: name.slice(0, 256), type: type.slice(0, 128),
            // Capabilities are the adapter's own data; a copy through JSON keeps only what travels.
            capabilities: JSON.parse(JSON.stringify(capabilities ?? {})) as Record<string, unknown>
        };
        return entry.stopped ? { ...info, stopped: entry.stopped } : info;
    }

    private relayEvent(entry: Entry, event: DebugProtocol.Event): void {
        if (event.event === 'stopped') {
            const body = (event as DebugProtocol.StoppedEvent).body;
            entry.stopped = { threadId: body.threadId ?? 0, reason: String(body.reason).slice(0, 256), allThreadsStopped: body.allThreadsStopped };
        } else if (event.event === 'continued' || event.event === 'terminated' || event.event === 'exited') {
            entry.stopped = undefined;
        }
        if (!entry.announced || !relayedEvents.has(event.event)) {
            return;
        }
        let body = mapSourcePaths(event.body as unknown, this.paths.toGuest);
        if (event.event === 'output') {
            body = truncateOutput(body as DebugProtocol.OutputEvent['body']);
        }
        if (body !== undefined && JSON.stringify(body).length > MAX_RELAYED_BODY_CHARS) {
            return; // e.g. a huge `module` event: guests miss it rather than the session breaking on the size limit
        }
        this.session.sendBroadcast(DebugSessionEvent, body === undefined ? { sessionId: entry.target.id, event: event.event } : { sessionId: entry.target.id, event: event.event, body });
    }

    /** Broadcasts the files whose verdicts changed since last sent (a file left out has none now: an empty list). */
    private relayVerdicts(entry: Entry): void {
        if (!entry.announced) {
            return;
        }
        const files = new Map(this.verdictFiles(entry).map(file => [file.path, file]));
        for (const path of entry.sentVerdicts.keys()) {
            if (!files.has(path)) {
                files.set(path, { path, verdicts: [] });
            }
        }
        for (const file of files.values()) {
            const json = JSON.stringify(file.verdicts);
            if ((entry.sentVerdicts.get(file.path) ?? '[]') !== json) {
                if (file.verdicts.length > 0) {
                    entry.sentVerdicts.set(file.path, json);
                } else {
                    entry.sentVerdicts.delete(file.path);
                }
                this.session.sendBroadcast(BreakpointVerdictsChanged, { sessionId: entry.target.id, ...file });
            }
        }
    }

    /** The session's verdicts on the shared files (a file guests cannot see is left out). */
    private verdictFiles(entry: Entry): FileVerdicts[] {
        const files: FileVerdicts[] = [];
        for (const [hostPath, verdicts] of entry.target.breakpointVerdicts.current()) {
            const path = this.paths.toGuest(hostPath);
            if (path !== undefined && files.length < MAX_BREAKPOINT_FILES) {
                files.push({ path, verdicts: verdicts.slice(0, MAX_BREAKPOINTS_PER_FILE) });
            }
        }
        return files;
    }

    private async forward(origin: string, sessionId: string, command: string, args: unknown): Promise<ForwardResult> {
        const role = origin === this.session.peerId ? this.session.role : this.session.peers.get(origin)?.role;
        const permission = checkDebugCommand(role, command);
        if (!permission.allowed) {
            return { success: false, message: permission.message, reason: 'permission-denied' };
        }
        const entry = this.entries.get(sessionId);
        if (!entry || !entry.announced) {
            return { success: false, message: 'That debug session is no longer running on the host.', reason: 'unknown-session' };
        }
        try {
            const body = mapSourcePaths(await entry.target.request(command, mapSourcePaths(args, this.paths.toHost)), this.paths.toGuest);
            if (body === undefined) {
                return { success: true };
            }
            if (JSON.stringify(body).length > MAX_RELAYED_BODY_CHARS) {
                return { success: false, message: `The host's answer to '${command}' is too large to relay (over ${MAX_RELAYED_BODY_CHARS / 1024} KiB of JSON).`, reason: 'failed' };
            }
            return { success: true, body };
        } catch (error) {
            return { success: false, message: dapErrorMessage(error).slice(0, 4096), reason: 'failed' };
        }
    }
}

function truncateOutput(body: DebugProtocol.OutputEvent['body'] | undefined): DebugProtocol.OutputEvent['body'] | undefined {
    if (!body || typeof body.output !== 'string' || body.output.length <= MAX_RELAYED_OUTPUT_CHARS) {
        return body;
    }
    return { ...body, output: `${body.output.slice(0, MAX_RELAYED_OUTPUT_CHARS)}\n[… output cut: ${body.output.length - MAX_RELAYED_OUTPUT_CHARS} more characters on the host]\n` };
}

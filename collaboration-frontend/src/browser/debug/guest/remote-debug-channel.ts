import { Emitter } from '@theia/core/lib/common/event';
import type { DebugChannel } from '@theia/debug/lib/common/debug-service';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MirrorBreakpointVerdicts } from '../breakpoints/breakpoint-verdicts';
import type { BreakpointVerdict, DebugSessionInfo, ForwardResult } from '../debug-messages';

/** Sends a DAP request to the host's session (`debug/request`). */
export type ForwardToHost = (command: string, args: unknown) => Promise<ForwardResult>;

/**
 * The DAP requests a guest's mirror answers itself: the host's session is
 * already initialized and launched, breakpoints are shared separately (as
 * shared breakpoints, see breakpoint-sync.ts and global-breakpoint-sync.ts),
 * and stopping the mirror only detaches this guest.
 */
const LOCAL_COMMANDS: ReadonlySet<string> = new Set([
    'initialize', 'launch', 'attach', 'configurationDone', 'disconnect', 'terminate',
    'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints', 'setDataBreakpoints', 'setInstructionBreakpoints'
]);

/**
 * The debug channel of a guest's mirror of one of the host's debug sessions:
 * what Theia's DebugSessionConnection would otherwise get from a debug
 * adapter through the backend. Requests the mirror cannot answer itself go
 * to the host; the host's DAP events come in through `receiveEvent`. So the
 * guest's own Debug view (threads, call stack, variables, console, the
 * stopped line in the editor) works unchanged.
 */
export class RemoteDebugChannel implements DebugChannel {
    private seq = 1;
    private closed = false;
    private readonly messageEmitter = new Emitter<string>();
    private readonly closeEmitter = new Emitter<{ code: number; reason: string }>();
    private readonly errorEmitter = new Emitter<unknown>();
    private readonly verdicts = new MirrorBreakpointVerdicts();

    constructor(
        private readonly info: DebugSessionInfo,
        private readonly forward: ForwardToHost,
        /** Told when the host refused a request for lack of permission, to tell the user. */
        private readonly onRefused: (message: string) => void
    ) { }

    send(content: string): void {
        if (this.closed) {
            return;
        }
        let request: DebugProtocol.Request;
        try {
            request = JSON.parse(content) as DebugProtocol.Request;
        } catch (error) {
            this.errorEmitter.fire(error);
            return;
        }
        if (request.type !== 'request') {
            return; // a response to a reverse request: the mirror never sends any
        }
        if (LOCAL_COMMANDS.has(request.command)) {
            this.answerLocally(request);
        } else {
            void this.forwardToHost(request);
        }
    }

    onMessage(cb: (message: string) => void): void {
        this.messageEmitter.event(cb);
    }

    onError(cb: (reason: unknown) => void): void {
        this.errorEmitter.event(cb);
    }

    onClose(cb: (code: number, reason: string) => void): void {
        this.closeEmitter.event(({ code, reason }) => cb(code, reason));
    }

    /** Ends the mirror (the host's session ended, the guest detached, or the collaboration session ended). */
    close(): void {
        if (!this.closed) {
            this.closed = true;
            this.closeEmitter.fire({ code: 1000, reason: 'closed' });
            this.messageEmitter.dispose();
            this.closeEmitter.dispose();
            this.errorEmitter.dispose();
        }
    }

    get isClosed(): boolean {
        return this.closed;
    }

    /** A DAP event of the host's session (paths already mapped by the host). */
    receiveEvent(event: string, body: unknown): void {
        this.emit({ seq: this.seq++, type: 'event', event, body } as DebugProtocol.Event);
    }

    /** The host session's verdicts on the breakpoints of the file at `path` (an `ensemble:` URI): the mirror's breakpoints there follow them. */
    receiveVerdicts(path: string, verdicts: readonly BreakpointVerdict[]): void {
        for (const breakpoint of this.verdicts.update(path, verdicts)) {
            this.receiveEvent('breakpoint', { reason: 'changed', breakpoint } satisfies DebugProtocol.BreakpointEvent['body']);
        }
    }

    /**
     * Brings the mirror back in line with the host's session after events
     * may have been missed (a reconnect without recovery): stopped where the
     * host says, or running.
     */
    resync(info: DebugSessionInfo): void {
        if (info.stopped) {
            const { threadId, reason, allThreadsStopped } = info.stopped;
            this.receiveEvent('stopped', { threadId, reason, allThreadsStopped });
        } else {
            this.receiveEvent('continued', { threadId: 0, allThreadsContinued: true });
        }
    }

    private answerLocally(request: DebugProtocol.Request): void {
        switch (request.command) {
            case 'initialize': {
                // Restarting or terminating is the host's call: without these capabilities the mirror's Stop sends `disconnect` (detach).
                const { supportsTerminateRequest: _t, supportsRestartRequest: _r, ...capabilities } = this.info.capabilities as DebugProtocol.Capabilities;
                this.respond(request, capabilities);
                this.receiveEvent('initialized', undefined);
                return;
            }
            case 'launch':
            case 'attach':
                this.respond(request, undefined);
                if (this.info.stopped) {
                    // The guest arrived while the host's program was stopped: show where.
                    const { threadId, reason, allThreadsStopped } = this.info.stopped;
                    setTimeout(() => this.receiveEvent('stopped', { threadId, reason, allThreadsStopped }), 0);
                }
                return;
            case 'setBreakpoints': {
                const args = request.arguments as DebugProtocol.SetBreakpointsArguments;
                // Shared breakpoints reach the host's adapter through the host's own session; here they show what it made of them.
                this.respond(request, { breakpoints: this.verdicts.answer(args.source?.path, args.breakpoints ?? []) });
                return;
            }
            case 'setFunctionBreakpoints': {
                const args = request.arguments as DebugProtocol.SetFunctionBreakpointsArguments;
                // Shared like source breakpoints (see global-breakpoint-sync.ts): the host's session sets them in its adapter.
                this.respond(request, { breakpoints: (args.breakpoints ?? []).map(() => ({ verified: true })) });
                return;
            }
            case 'setDataBreakpoints':
            case 'setInstructionBreakpoints':
                this.respond(request, { breakpoints: [] });
                return;
            case 'disconnect':
            case 'terminate':
                this.respond(request, undefined);
                setTimeout(() => this.close(), 0);
                return;
            default:
                this.respond(request, undefined);
        }
    }

    private async forwardToHost(request: DebugProtocol.Request): Promise<void> {
        let result: ForwardResult;
        try {
            result = await this.forward(request.command, request.arguments);
        } catch (error) {
            result = { success: false, message: `The host did not answer: ${error instanceof Error ? error.message : String(error)}` };
        }
        if (result.success) {
            this.respond(request, result.body);
        } else {
            if (result.reason === 'permission-denied' && !isImplicit(request)) {
                this.onRefused(result.message);
            }
            this.respondError(request, result.message);
        }
    }

    private respond(request: DebugProtocol.Request, body: unknown): void {
        this.emit({ seq: this.seq++, type: 'response', request_seq: request.seq, command: request.command, success: true, body } as DebugProtocol.Response);
    }

    private respondError(request: DebugProtocol.Request, message: string): void {
        this.emit({ seq: this.seq++, type: 'response', request_seq: request.seq, command: request.command, success: false, message } as DebugProtocol.Response);
    }

    private emit(message: DebugProtocol.ProtocolMessage): void {
        if (!this.closed) {
            this.messageEmitter.fire(JSON.stringify(message));
        }
    }
}

/**
 * Requests the UI sends on its own (hovering a variable in the editor,
 * refreshing watch expressions): refusing them is expected for a read-only
 * guest and must not raise a notification at every mouse move.
 */
function isImplicit(request: DebugProtocol.Request): boolean {
    const context = (request.arguments as DebugProtocol.EvaluateArguments | undefined)?.context;
    return request.command === 'evaluate' && (context === 'hover' || context === 'watch' || context === 'variables');
}

import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import {
    ListSharedTerminals, MAX_SHARED_TERMINALS, OpenSharedTerminal, SendTerminalInput, SharedTerminalsChanged, TerminalUnshared,
    type SharedTerminalInfo, type TerminalInputRefusal, type TerminalInputResult, type TerminalShareMode, type TerminalUnshareReason
} from '../terminal-messages';
import { InputRateLimiter } from './input-rate-limiter';
import type { OutputBatcherOptions } from './output-batcher';
import { SharedTerminal } from './shared-terminal';
import type { TerminalSource } from './terminal-source';

/** A guest typed into one of the host's shared terminals. */
export interface TerminalTypedEvent {
    readonly peerId: string;
    readonly name: string;
    readonly terminalId: string;
    readonly title: string;
}

export interface HostTerminalSharingOptions {
    readonly rateLimiter?: InputRateLimiter;
    readonly batcher?: OutputBatcherOptions;
}

/**
 * The host's side of terminal sharing in one session: which terminals are
 * shared and how, the guests' requests to list, open and type, and the
 * permission check on every keystroke. Who types, and with which role, comes
 * from the session's peer list (kept by the server), never from the message.
 * Create it before the session connects: it registers its handlers at once.
 */
export class HostTerminalSharing implements Disposable {
    private readonly shared = new Map<string, SharedTerminal>();
    private readonly toDispose = new DisposableCollection();
    private readonly changedEmitter = new Emitter<void>();
    private readonly typedEmitter = new Emitter<TerminalTypedEvent>();
    private readonly rateLimiter: InputRateLimiter;
    private nextId = 1;

    readonly onDidChange: Event<void> = this.changedEmitter.event;
    /** A guest's input reached a terminal: the host sees who typed. */
    readonly onDidType: Event<TerminalTypedEvent> = this.typedEmitter.event;

    constructor(private readonly session: CollaborationSession, private readonly options: HostTerminalSharingOptions = {}) {
        this.rateLimiter = options.rateLimiter ?? new InputRateLimiter();
        this.toDispose.pushAll([
            this.changedEmitter,
            this.typedEmitter,
            session.onRequest(ListSharedTerminals, () => ({ terminals: this.terminals })),
            session.onRequest(OpenSharedTerminal, async ({ id }, { origin }) => {
                const terminal = this.shared.get(id);
                if (!session.peers.has(origin)) {
                    return { ok: false as const, message: 'The host does not know you as a participant (any more); rejoin the session.' };
                }
                if (!terminal) {
                    return { ok: false as const, message: 'The host no longer shares this terminal; pick another one with "Ensemble: Open Shared Terminal…".' };
                }
                const { scrollback, seq } = await terminal.snapshot();
                return { ok: true as const, terminal: terminal.info, scrollback, seq };
            }),
            session.onRequest(SendTerminalInput, ({ id, data }, { origin }) => this.input(origin, id, data)),
            session.onPeerLeft(({ peerId }) => this.rateLimiter.forget(peerId)),
            // Shares made while this host was disconnected were not announced.
            session.onReconnect(() => this.changed()),
            Disposable.create(() => {
                this.shared.forEach(terminal => terminal.dispose());
                this.shared.clear();
            })
        ]);
    }

    get terminals(): SharedTerminalInfo[] {
        return [...this.shared.values()].map(terminal => terminal.info);
    }

    /** The share id of a terminal shared now. */
    idOf(source: TerminalSource): string | undefined {
        return [...this.shared.values()].find(terminal => terminal.source === source)?.id;
    }

    /** Shares the terminal, or changes the mode of a shared one. */
    share(source: TerminalSource, mode: TerminalShareMode): SharedTerminalInfo {
        const existing = this.idOf(source);
        if (existing !== undefined) {
            this.shared.get(existing)!.mode = mode;
            this.changed();
            return this.shared.get(existing)!.info;
        }
        if (this.shared.size >= MAX_SHARED_TERMINALS) {
            throw new Error(`You already share ${MAX_SHARED_TERMINALS} terminals; stop sharing one first.`);
        }
        const id = `t${this.nextId++}`;
        const terminal = new SharedTerminal(id, source, mode, this.session, {
            changed: () => this.changed(),
            closed: () => this.unshare(id, 'closed')
        }, this.options.batcher);
        this.shared.set(id, terminal);
        this.changed();
        return terminal.info;
    }

    unshare(id: string, reason: TerminalUnshareReason = 'unshared'): void {
        const terminal = this.shared.get(id);
        if (!terminal) {
            return;
        }
        this.shared.delete(id);
        const title = terminal.title;
        terminal.dispose();
        this.send(() => this.session.sendBroadcast(TerminalUnshared, { id, title, reason }));
        this.changed();
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    private input(origin: string, id: string, data: string): TerminalInputResult {
        const peer = this.session.peers.get(origin);
        if (!peer) {
            return refuse('unknown-peer', 'The host does not know you as a participant (any more); rejoin the session.');
        }
        const terminal = this.shared.get(id);
        if (!terminal) {
            return refuse('not-shared', 'The host no longer shares this terminal; your input was not sent.');
        }
        if (terminal.mode !== 'read-write') {
            return refuse('read-only-terminal', `The host shares "${terminal.title}" read-only: you can watch it but not type. Ask the host to share it read-write.`);
        }
        if (peer.role !== 'read-write') {
            return refuse('read-only-role', 'You have read-only access to this session: ask the host for write access to type in its terminals.');
        }
        if (!this.rateLimiter.take(origin, data.length)) {
            return refuse('rate-limited', 'You sent input faster than the host accepts; the rest was not sent. Wait a moment and try again.');
        }
        terminal.source.sendInput(data);
        this.typedEmitter.fire({ peerId: peer.id, name: peer.name, terminalId: id, title: terminal.title });
        return { ok: true };
    }

    private changed(): void {
        this.send(() => this.session.sendBroadcast(SharedTerminalsChanged, { terminals: this.terminals }));
        this.changedEmitter.fire();
    }

    private send(broadcast: () => void): void {
        if (this.session.state !== 'connected') {
            return; // guests ask for the list when they (re)connect
        }
        try {
            broadcast();
        } catch (error) {
            console.warn('Ensemble: could not tell the guests about shared terminals', error);
        }
    }
}

function refuse(code: TerminalInputRefusal, message: string): TerminalInputResult {
    return { ok: false, code, message };
}

import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import {
    ListSharedTerminals, SharedTerminalsChanged, TerminalOutput, TerminalResized, TerminalUnshared,
    type SharedTerminalInfo, type TerminalUnshareReason
} from '../terminal-messages';
import { SharedTerminalStream, type TerminalSink } from './shared-terminal-stream';

export interface TerminalUnsharedEvent {
    readonly id: string;
    readonly title: string;
    readonly reason: TerminalUnshareReason;
}

/**
 * A guest's side of terminal sharing in one session: the list of terminals
 * the host shares and the streams of the ones this window shows. Create it
 * before the session connects (it registers its handlers at once) and call
 * `refresh` once the guest is admitted.
 */
export class GuestTerminalClient implements Disposable {
    private list: SharedTerminalInfo[] = [];
    private readonly streams = new Map<string, SharedTerminalStream>();
    private readonly toDispose = new DisposableCollection();
    private readonly listEmitter = new Emitter<{ readonly terminals: readonly SharedTerminalInfo[]; readonly added: readonly SharedTerminalInfo[] }>();
    private readonly unsharedEmitter = new Emitter<TerminalUnsharedEvent>();

    /** The host shares other terminals now; `added` are the ones that were not shared before. */
    readonly onDidChangeList = this.listEmitter.event;
    /** The host stopped sharing a terminal (its stream, if open, is closed already). */
    readonly onDidUnshare: Event<TerminalUnsharedEvent> = this.unsharedEmitter.event;

    constructor(private readonly session: CollaborationSession) {
        this.toDispose.pushAll([
            this.listEmitter,
            this.unsharedEmitter,
            session.onBroadcast(SharedTerminalsChanged, ({ terminals }, { origin }) => {
                if (origin === session.hostPeerId) {
                    this.setList(terminals);
                }
            }),
            session.onBroadcast(TerminalUnshared, (event, { origin }) => {
                if (origin === session.hostPeerId) {
                    this.streams.get(event.id)?.close();
                    this.streams.delete(event.id);
                    this.setList(this.list.filter(terminal => terminal.id !== event.id));
                    this.unsharedEmitter.fire(event);
                }
            }),
            session.onBroadcast(TerminalOutput, ({ id, seq, data, reset }, { origin }) => {
                if (origin === session.hostPeerId) {
                    this.streams.get(id)?.receiveOutput({ seq, data, reset });
                }
            }),
            session.onBroadcast(TerminalResized, ({ id, cols, rows }, { origin }) => {
                if (origin === session.hostPeerId) {
                    this.streams.get(id)?.receiveResize(cols, rows);
                }
            }),
            session.onReconnect(({ recovered }) => {
                if (!recovered) {
                    // Messages may have been missed: ask for the list and redraw what is shown.
                    void this.refresh().catch(() => undefined);
                    this.streams.forEach(stream => void stream.resync());
                }
            }),
            Disposable.create(() => {
                this.streams.forEach(stream => stream.close());
                this.streams.clear();
            })
        ]);
    }

    get terminals(): readonly SharedTerminalInfo[] {
        return this.list;
    }

    /** Asks the host which terminals it shares. */
    async refresh(): Promise<readonly SharedTerminalInfo[]> {
        const { terminals } = await this.session.sendRequest(ListSharedTerminals, {}, { type: 'host' });
        this.setList(terminals);
        return terminals;
    }

    /**
     * Opens a shared terminal into `sink`: the scrollback is replayed, then
     * live output follows. Rejects with a message for the user if the host
     * does not share it (any more).
     */
    async open(id: string, sink: TerminalSink): Promise<SharedTerminalStream> {
        const info = this.list.find(terminal => terminal.id === id);
        if (!info) {
            throw new Error('The host does not share this terminal (any more).');
        }
        if (this.streams.has(id)) {
            throw new Error(`"${info.title}" is open already.`);
        }
        const stream = new SharedTerminalStream(this.session, info, sink);
        this.streams.set(id, stream);
        try {
            await stream.open();
        } catch (error) {
            this.close(stream);
            throw error;
        }
        return stream;
    }

    /** Stops receiving the terminal's output (its view closed). */
    close(stream: SharedTerminalStream): void {
        stream.close();
        if (this.streams.get(stream.info.id) === stream) {
            this.streams.delete(stream.info.id);
        }
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    private setList(terminals: readonly SharedTerminalInfo[]): void {
        const before = new Set(this.list.map(terminal => terminal.id));
        this.list = [...terminals];
        for (const terminal of terminals) {
            this.streams.get(terminal.id)?.updateInfo(terminal);
        }
        this.listEmitter.fire({ terminals: this.list, added: terminals.filter(terminal => !before.has(terminal.id)) });
    }
}

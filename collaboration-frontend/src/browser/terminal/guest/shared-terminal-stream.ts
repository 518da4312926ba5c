import type { CollaborationSession } from '@ensemble/collaboration-common';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import { MAX_INPUT_CHARS, OpenSharedTerminal, SendTerminalInput, terminalTopic, type SharedTerminalInfo } from '../terminal-messages';

/** Where a guest's view of a shared terminal draws (an xterm in the widget; a headless one in tests). */
export interface TerminalSink {
    /** Start over: clear, take the host's size, and draw the replayed scrollback. */
    reset(info: SharedTerminalInfo, scrollback: string): void;
    write(data: string): void;
    resize(cols: number, rows: number): void;
}

/** The output message as the stream receives it. */
export interface OutputBatch {
    readonly seq: number;
    readonly data: string;
    readonly reset?: boolean;
}

/**
 * A guest's live copy of one shared terminal: replays the scrollback from
 * the host, then applies the output batches in order. A gap in the numbering
 * (messages missed during a reconnect) or a `reset` from the host fetches
 * the scrollback again, so the view never shows output out of order.
 * Keystrokes go to the host one request at a time; what is typed meanwhile
 * is sent together with the next one, in order.
 */
export class SharedTerminalStream {
    private lastSeq = -1;
    /** Output that arrived while the scrollback was being fetched. */
    private early: OutputBatch[] | undefined = [];
    private inputQueue = '';
    private sending = false;
    private closed = false;
    private readonly refusedEmitter = new Emitter<string>();
    private readonly infoEmitter = new Emitter<SharedTerminalInfo>();

    /** The host refused input (the text says why and what to do). */
    readonly onInputRefused: Event<string> = this.refusedEmitter.event;
    readonly onDidChangeInfo: Event<SharedTerminalInfo> = this.infoEmitter.event;

    constructor(private readonly session: CollaborationSession, private current: SharedTerminalInfo, private readonly sink: TerminalSink) { }

    get info(): SharedTerminalInfo {
        return this.current;
    }

    get topic(): string {
        return terminalTopic(this.current.id);
    }

    /** The terminal is shared read-write and this guest may write now (its role can change during the session). */
    get canType(): boolean {
        return this.current.mode === 'read-write' && this.session.role === 'read-write';
    }

    /** Subscribes to the terminal's output and replays its scrollback; rejects with a message for the user when the host refuses. */
    async open(): Promise<void> {
        await this.session.subscribe(this.topic);
        await this.fetchScrollback();
    }

    receiveOutput(batch: OutputBatch): void {
        if (this.closed) {
            return;
        }
        if (this.early) {
            this.early.push(batch);
            return;
        }
        if (batch.seq <= this.lastSeq) {
            return;
        }
        if (batch.reset || batch.seq !== this.lastSeq + 1) {
            void this.resync();
            return;
        }
        this.lastSeq = batch.seq;
        this.sink.write(batch.data);
    }

    receiveResize(cols: number, rows: number): void {
        if (!this.closed && !this.early) {
            this.sink.resize(cols, rows);
        }
    }

    updateInfo(info: SharedTerminalInfo): void {
        if (info.title !== this.current.title || info.mode !== this.current.mode) {
            this.current = info;
            this.infoEmitter.fire(info);
        }
        this.current = info;
    }

    /** Fetches the scrollback again (after a reconnect that may have missed output). */
    async resync(): Promise<void> {
        if (this.early || this.closed) {
            return; // already fetching
        }
        this.early = [];
        try {
            await this.fetchScrollback();
        } catch (error) {
            this.early = undefined; // the next gap tries again
            console.warn(`Ensemble: could not refresh the shared terminal "${this.current.title}"`, error);
        }
    }

    /** Sends typed text to the host (nothing when this guest may not type). */
    sendInput(data: string): void {
        if (!this.canType || this.closed || data.length === 0) {
            return;
        }
        this.inputQueue += data;
        void this.pumpInput();
    }

    close(): void {
        if (this.closed) {
            return;
        }
        this.closed = true;
        this.refusedEmitter.dispose();
        this.infoEmitter.dispose();
        if (this.session.state === 'connected') {
            this.session.unsubscribe(this.topic).catch(() => undefined);
        }
    }

    private async fetchScrollback(): Promise<void> {
        this.early ??= [];
        const answer = await this.session.sendRequest(OpenSharedTerminal, { id: this.current.id }, { type: 'host' });
        if (!answer.ok) {
            this.early = undefined;
            throw new Error(answer.message);
        }
        this.updateInfo(answer.terminal);
        this.sink.reset(answer.terminal, answer.scrollback);
        this.lastSeq = answer.seq;
        const early = this.early;
        this.early = undefined;
        early.forEach(batch => this.receiveOutput(batch));
    }

    private async pumpInput(): Promise<void> {
        if (this.sending) {
            return;
        }
        this.sending = true;
        try {
            while (this.inputQueue.length > 0 && !this.closed) {
                const piece = takePiece(this.inputQueue, MAX_INPUT_CHARS);
                this.inputQueue = this.inputQueue.slice(piece.length);
                const answer = await this.session.sendRequest(SendTerminalInput, { id: this.current.id, data: piece }, { type: 'host' });
                if (!answer.ok) {
                    this.inputQueue = ''; // the rest would be refused too, or arrive out of context
                    this.refusedEmitter.fire(answer.message);
                }
            }
        } catch (error) {
            this.inputQueue = '';
            this.refusedEmitter.fire(`Your input did not reach the host: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
            this.sending = false;
        }
    }
}

/** The first at most `max` characters, not ending in the middle of a surrogate pair. */
function takePiece(text: string, max: number): string {
    if (text.length <= max) {
        return text;
    }
    const code = text.charCodeAt(max - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

import type { CollaborationSession } from '@ensemble/collaboration-common';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import {
    MAX_COLS, MAX_ROWS, MAX_SCROLLBACK_CHARS, terminalTopic, TerminalOutput, TerminalResized,
    type SharedTerminalInfo, type TerminalShareMode
} from '../terminal-messages';
import { OutputBatcher, type OutputBatcherOptions } from './output-batcher';
import { TerminalMirror } from './terminal-mirror';
import type { TerminalSource } from './terminal-source';

/** Lines of the host's terminal copied when sharing starts (the replayed scrollback comes from them). */
const INITIAL_SCROLLBACK_LINES = 1000;

/**
 * One terminal the host shares: its output goes, batched and numbered, to
 * the terminal's topic, and into a mirror from which viewers that open it
 * get the recent scrollback.
 */
export class SharedTerminal {
    private readonly toDispose = new DisposableCollection();
    private readonly mirror: TerminalMirror;
    private readonly batcher: OutputBatcher;
    private readonly topic: string;
    /** The number of the last output message published. */
    private seq = 0;
    /** Settles once the host's screen is copied into the mirror. */
    private readonly ready: Promise<void>;

    constructor(
        readonly id: string,
        readonly source: TerminalSource,
        public mode: TerminalShareMode,
        private readonly session: CollaborationSession,
        private readonly listener: { readonly changed: () => void; readonly closed: () => void },
        batcherOptions?: OutputBatcherOptions
    ) {
        this.topic = terminalTopic(id);
        this.mirror = new TerminalMirror(clampCols(source.cols), clampRows(source.rows));
        this.batcher = new OutputBatcher((data, reset) => this.publishOutput(data, reset), batcherOptions);
        // Output that arrives while the host's screen is copied waits behind the copy: neither lost nor doubled.
        let early: string[] | undefined = [];
        this.toDispose.push(source.onOutput(data => {
            if (early) {
                early.push(data);
            } else {
                this.mirror.write(data);
                this.batcher.push(data);
            }
        }));
        this.ready = source.serialize(INITIAL_SCROLLBACK_LINES).catch(() => '').then(screen => {
            this.mirror.write(screen);
            const waiting = early ?? [];
            early = undefined;
            for (const data of waiting) {
                this.mirror.write(data);
                this.batcher.push(data);
            }
        });
        this.toDispose.push(source.onResize(({ cols, rows }) => this.resized(cols, rows)));
        this.toDispose.push(source.onTitleChanged(() => this.listener.changed()));
        this.toDispose.push(source.onClosed(() => this.listener.closed()));
    }

    get info(): SharedTerminalInfo {
        return { id: this.id, title: this.title, mode: this.mode, cols: clampCols(this.source.cols), rows: clampRows(this.source.rows) };
    }

    get title(): string {
        return this.source.title.slice(0, 256);
    }

    /** The scrollback a new viewer replays, and the number of the last output message it contains. */
    async snapshot(): Promise<{ scrollback: string; seq: number }> {
        await this.ready;
        this.batcher.flushAll(); // everything the mirror has is now published up to `seq`
        const seq = this.seq;
        const scrollback = await this.mirror.snapshot(MAX_SCROLLBACK_CHARS);
        return { scrollback, seq };
    }

    dispose(): void {
        this.toDispose.dispose();
        this.batcher.dispose();
        this.mirror.dispose();
    }

    private resized(cols: number, rows: number): void {
        const size = { cols: clampCols(cols), rows: clampRows(rows) };
        this.batcher.flushAll(); // viewers resize after the output that was drawn at the old size
        this.mirror.resize(size.cols, size.rows);
        this.send(() => this.session.publish(this.topic, TerminalResized, { id: this.id, ...size }));
        this.listener.changed();
    }

    private publishOutput(data: string, reset: boolean): void {
        this.seq++;
        const params = reset ? { id: this.id, seq: this.seq, data, reset } : { id: this.id, seq: this.seq, data };
        this.send(() => this.session.publish(this.topic, TerminalOutput, params));
    }

    private send(publish: () => void): void {
        try {
            publish();
        } catch (error) {
            // Not connected right now: the viewers notice the gap in `seq` and fetch the scrollback again.
            console.warn('Ensemble: could not send terminal output', error);
        }
    }
}

function clampCols(cols: number): number {
    return Math.min(MAX_COLS, Math.max(1, Math.floor(cols) || 80));
}

function clampRows(rows: number): number {
    return Math.min(MAX_ROWS, Math.max(1, Math.floor(rows) || 24));
}

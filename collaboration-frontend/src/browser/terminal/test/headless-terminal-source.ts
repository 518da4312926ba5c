import { Emitter } from '@theia/core/lib/common/event';
import { Terminal } from 'xterm';
import { SerializeAddon } from 'xterm-addon-serialize';
import type { TerminalSink } from '../guest/shared-terminal-stream';
import type { TerminalSource } from '../host/terminal-source';
import type { SharedTerminalInfo } from '../terminal-messages';
import { terminalBufferText } from '../terminal-buffer-text';

/** Resolves once everything written to `term` so far is parsed. */
export function parsed(term: Terminal): Promise<void> {
    return new Promise(resolve => term.write('', resolve));
}

/**
 * A host terminal without a process: a real (headless) xterm that `print`
 * writes to as a process would, and that records what is typed into it.
 */
export class HeadlessTerminalSource implements TerminalSource {
    readonly term: Terminal;
    readonly inputs: string[] = [];
    private readonly serializer = new SerializeAddon();
    private readonly outputEmitter = new Emitter<string>();
    private readonly resizeEmitter = new Emitter<{ cols: number; rows: number }>();
    private readonly titleEmitter = new Emitter<string>();
    private readonly closedEmitter = new Emitter<void>();
    readonly onOutput = this.outputEmitter.event;
    readonly onResize = this.resizeEmitter.event;
    readonly onTitleChanged = this.titleEmitter.event;
    readonly onClosed = this.closedEmitter.event;

    constructor(public title = 'Terminal 1', cols = 80, rows = 24) {
        this.term = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
        this.term.loadAddon(this.serializer);
    }

    get cols(): number { return this.term.cols; }
    get rows(): number { return this.term.rows; }

    /** Output of the terminal's process, reported as it is written (xterm parses it later). */
    print(data: string): void {
        this.term.write(data);
        this.outputEmitter.fire(data);
    }

    resize(cols: number, rows: number): void {
        this.term.resize(cols, rows);
        this.resizeEmitter.fire({ cols, rows });
    }

    rename(title: string): void {
        this.title = title;
        this.titleEmitter.fire(title);
    }

    close(): void {
        this.closedEmitter.fire();
    }

    serialize(scrollbackLines: number): Promise<string> {
        // Inside the callback: once what was written before is parsed, and before anything written after.
        return new Promise(resolve => this.term.write('', () => resolve(this.serializer.serialize({ scrollback: scrollbackLines }))));
    }

    sendInput(data: string): void {
        this.inputs.push(data);
    }

    async text(): Promise<string> {
        await parsed(this.term);
        return terminalBufferText(this.term);
    }
}

/** A guest's view without a widget: a headless xterm, as the widget's would be. */
export class HeadlessTerminalSink implements TerminalSink {
    readonly term = new Terminal({ cols: 80, rows: 24, scrollback: 1000, allowProposedApi: true });
    resets = 0;
    writes = 0;

    reset(info: SharedTerminalInfo, scrollback: string): void {
        this.resets++;
        this.term.reset();
        this.term.resize(info.cols, info.rows);
        this.term.write(scrollback);
    }

    write(data: string): void {
        this.writes++;
        this.term.write(data);
    }

    resize(cols: number, rows: number): void {
        this.term.write('', () => this.term.resize(cols, rows));
    }

    async text(): Promise<string> {
        await parsed(this.term);
        return terminalBufferText(this.term);
    }
}

import { Terminal } from 'xterm';
import { SerializeAddon } from 'xterm-addon-serialize';
import { fitSerialized } from './fit-serialized';

/**
 * A headless copy of a shared terminal, fed with exactly the output that is
 * published to the viewers. Snapshots are taken from it, not from the
 * on-screen terminal, so that a snapshot and the output messages after it
 * never overlap nor leave a gap: `snapshot` ends where the published stream
 * stood when it was called.
 */
export class TerminalMirror {
    private readonly term: Terminal;
    private readonly serializer = new SerializeAddon();

    constructor(cols: number, rows: number, scrollbackLines = 1000) {
        this.term = new Terminal({ cols, rows, scrollback: scrollbackLines, allowProposedApi: true });
        this.term.loadAddon(this.serializer);
    }

    write(data: string): void {
        this.term.write(data);
    }

    /** After what was written so far is parsed (xterm parses asynchronously), so that the wrap follows the same order as on the viewers. */
    resize(cols: number, rows: number): void {
        this.term.write('', () => this.term.resize(cols, rows));
    }

    /**
     * The screen and as much recent scrollback as fits in `maxChars`, as
     * escape sequences that redraw it, for everything written before this call.
     */
    snapshot(maxChars: number): Promise<string> {
        // The callback runs once everything written before it is parsed, and before anything written after it.
        return new Promise(resolve => this.term.write('', () => resolve(fitSerialized(lines => this.serializer.serialize({ scrollback: lines }), maxChars))));
    }

    dispose(): void {
        this.term.dispose();
    }
}

import { Disposable } from '@theia/core/lib/common/disposable';
import { Emitter, type Event } from '@theia/core/lib/common/event';
import type { TerminalWidget } from '@theia/terminal/lib/browser/base/terminal-widget';
import type { Terminal } from 'xterm';
import { SerializeAddon } from 'xterm-addon-serialize';
import type { TerminalSource } from './terminal-source';

/**
 * TerminalWidgetImpl has its xterm; the abstract TerminalWidget does not
 * promise one. Until the widget is first shown it does not open the xterm:
 * it keeps the process's output in `initialData` and writes it into the
 * xterm when it opens (protected members; read here so that a terminal
 * running in the background, a task's for instance, is shared with what it
 * printed so far).
 */
interface WithXterm {
    getTerminal(): Terminal;
    readonly termOpened?: boolean;
    readonly initialData?: string;
}

function hasXterm(widget: TerminalWidget): widget is TerminalWidget & WithXterm {
    return typeof (widget as Partial<WithXterm>).getTerminal === 'function';
}

/**
 * One of the host's Theia terminals as a TerminalSource.
 *
 * The output is taken where the widget writes its process's output into
 * xterm (`write`), not from the widget's `onOutput` event: that event lags
 * one write behind whenever xterm parses a write synchronously (which it
 * does right after the user typed), so the echo of the last command would
 * reach the guests only with the next output. Taking it at `write` also
 * makes the screen copy exact: `serialize` reads the screen in xterm's
 * callback for an empty write, i.e. with everything written before it and
 * nothing written after it.
 */
export class WidgetTerminalSource implements TerminalSource, Disposable {
    private serializer: SerializeAddon | undefined;
    private readonly outputEmitter = new Emitter<string>();
    private readonly closedEmitter = new Emitter<void>();
    private readonly toDispose: Disposable[] = [this.outputEmitter, this.closedEmitter];

    readonly onOutput: Event<string> = this.outputEmitter.event;
    readonly onResize: Event<{ readonly cols: number; readonly rows: number }>;
    readonly onTitleChanged: Event<string>;
    readonly onClosed: Event<void> = this.closedEmitter.event;

    constructor(readonly widget: TerminalWidget) {
        this.onResize = widget.onSizeChanged;
        this.onTitleChanged = listener => {
            const handler = (): void => listener(widget.title.label);
            widget.title.changed.connect(handler);
            return Disposable.create(() => widget.title.changed.disconnect(handler));
        };
        const write = widget.write;
        widget.write = (data: string): void => {
            write.call(widget, data);
            this.outputEmitter.fire(data);
        };
        this.toDispose.push(Disposable.create(() => { widget.write = write; }));
        // Closed by the user, or its process ended: either way there is nothing more to watch.
        this.toDispose.push(widget.onTerminalDidClose(() => this.closedEmitter.fire()));
        this.toDispose.push(widget.onDidDispose(() => this.closedEmitter.fire()));
    }

    get title(): string {
        return this.widget.title.label || 'Terminal';
    }

    get cols(): number {
        return this.widget.dimensions.cols;
    }

    get rows(): number {
        return this.widget.dimensions.rows;
    }

    serialize(scrollbackLines: number): Promise<string> {
        if (!hasXterm(this.widget)) {
            return Promise.resolve('');
        }
        const term = this.widget.getTerminal();
        if (!this.serializer) {
            this.serializer = new SerializeAddon();
            term.loadAddon(this.serializer);
            this.toDispose.push(this.serializer);
        }
        const serializer = this.serializer;
        const widget = this.widget;
        return new Promise(resolve => term.write('', () => {
            const screen = serializer.serialize({ scrollback: scrollbackLines });
            // Not shown yet: the output so far waits in the widget, not in the xterm.
            const waiting = widget.termOpened === false && typeof widget.initialData === 'string' ? widget.initialData : '';
            resolve(screen + waiting);
        }));
    }

    sendInput(data: string): void {
        this.widget.sendText(data);
    }

    dispose(): void {
        this.toDispose.splice(0).forEach(item => item.dispose());
    }
}
